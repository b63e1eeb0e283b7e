package org.deephash4j.server.http;

import java.nio.file.Path;
import java.util.Map;
import org.deephash4j.server.encode.ImageEncoder;

/**
 * How a search service runs: where it listens and keeps its data, its key, its limits and its models.
 *
 * @param host the address to listen on; a non-loopback address needs an API key
 * @param port the port (0: any free one)
 * @param dataDir where the indexes live ({@code dataDir/indexes}) and uploads are decoded ({@code dataDir/tmp})
 * @param apiKey the key writes and index management need; {@code null} leaves them open, on loopback only
 * @param maxBodyBytes the largest request body
 * @param maxImages the most images one request may carry
 * @param maxCodes the most codes one request may add
 * @param maxK the largest k, and the most results of a radius search
 * @param maxPixels the most pixels an uploaded image's header may declare
 * @param corsOrigin the one origin allowed to call the API from a browser, or {@code null} for none
 * @param models the models images are encoded with, by name
 */
public record ServerOptions(String host, int port, Path dataDir, String apiKey, long maxBodyBytes, int maxImages, int maxCodes,
        int maxK, long maxPixels, String corsOrigin, Map<String, ImageEncoder> models) {

    /** Default limits: 32 MiB bodies, 64 images or 10,000 codes a request, k up to 10,000, 40 megapixel images. */
    public static ServerOptions defaults(String host, int port, Path dataDir, String apiKey, Map<String, ImageEncoder> models) {
        return new ServerOptions(host, port, dataDir, apiKey, 32L << 20, 64, 10_000, 10_000, 40_000_000L, null, models);
    }

    public ServerOptions {
        models = Map.copyOf(models);
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
        if (apiKey == null && !loopback) {
            throw new IllegalArgumentException("listening on " + host + " needs an API key (--api-key or DEEPHASH_API_KEY): "
                    + "without one, writes are open to whoever can connect");
        }
    }
}
