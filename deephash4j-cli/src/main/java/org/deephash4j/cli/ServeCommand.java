package org.deephash4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.fetch.DataHome;
import org.deephash4j.hash.HashModels;
import org.deephash4j.server.InitialData;
import org.deephash4j.server.encode.ImageEncoder;
import org.deephash4j.server.http.SearchServer;
import org.deephash4j.server.http.ServerOptions;
import org.deephash4j.server.store.ServedIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deephash serve}: the search service (REST API and web page) until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the search service: a REST API (/v1) and a web page for search by image, over the indexes of a data "
            + "folder.", "Stops on SIGTERM or Ctrl-C: in-flight requests finish, every index is snapshotted."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE", description = "A model (.dhm) to encode images with; repeatable. Its name is "
            + "the file name without .dhm.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--index", paramLabel = "FILE", description = "An index file (.dhi) to serve as the index named after the file "
            + "(imported once into the data folder).")
    Path index;

    @Option(names = "--images", paramLabel = "DIR", description = "A folder of images (sub-folders as classes) to encode with the "
            + "first model into the index named after the folder (once).")
    Path images;

    @Option(names = "--shape", paramLabel = "CxHxW", description = "Shape images are decoded to for the models (default: inferred "
            + "from the model's input, square).")
    String shape;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the indexes (default: $DEEPHASH_HOME/serve).")
    Path data;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}; another "
            + "address needs an API key).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Key that writes and index management need (default: "
            + "$DEEPHASH_API_KEY; without one they are open, on loopback only).")
    String apiKey;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", description = "Allow browser calls from this origin (default: none).")
    String corsOrigin;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path dataDir = data != null ? data : DataHome.resolve().root().resolve("serve");
        String key = apiKey != null ? apiKey : System.getenv("DEEPHASH_API_KEY");
        ImageShape imageShape = shape == null ? null : ImageShape.parse(shape);
        Map<String, ImageEncoder> encoders = new LinkedHashMap<>();
        java.nio.file.Files.createDirectories(dataDir.resolve("tmp"));
        for (Path m : models) {
            String name = m.getFileName().toString().replaceFirst("\\.dhm$", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
            ServedIndex.checkName(name);
            encoders.put(name, new ImageEncoder(name, HashModels.load(m), imageShape, 40_000_000L, dataDir.resolve("tmp")));
        }
        ServerOptions defaults = ServerOptions.defaults(host, port, dataDir, key, encoders);
        ServerOptions options = new ServerOptions(host, port, dataDir, key, defaults.maxBodyBytes(), defaults.maxImages(),
                defaults.maxCodes(), defaults.maxK(), defaults.maxPixels(), corsOrigin, encoders);
        SearchServer server = SearchServer.start(options);
        server.closeAtShutdown();
        server.awaitReady(Duration.ofHours(1));
        System.err.printf(Locale.ROOT, "[serve] listening on http://%s:%d/ (ready in %.1f s); data in %s%n", host, server.port(),
                (System.nanoTime() - t0) / 1e9, dataDir.toAbsolutePath());
        ImageEncoder first = encoders.isEmpty() ? null : encoders.values().iterator().next();
        if (index != null) {
            String name = indexName(index.getFileName().toString().replaceFirst("\\.dhi$", ""));
            if (InitialData.importIndexFile(server.registry(), index, name, first)) {
                System.err.println("[serve] imported " + index + " as index '" + name + "'");
            }
        }
        if (images != null) {
            if (first == null) {
                throw new IllegalArgumentException("--images needs a --model to encode them with");
            }
            String name = indexName(images.toAbsolutePath().normalize().getFileName().toString());
            int n = InitialData.importImages(server.registry(), images, name, first, System.err);
            if (n >= 0) {
                System.err.println("[serve] encoded " + n + " images of " + images + " into index '" + name + "'");
            }
        }
        Thread.currentThread().join();
        return 0;
    }

    private static String indexName(String raw) {
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceFirst("^[-_]+", "");
        ServedIndex.checkName(name.isEmpty() ? "index" : name);
        return name.isEmpty() ? "index" : name;
    }
}
