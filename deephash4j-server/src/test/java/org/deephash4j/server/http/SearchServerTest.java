package org.deephash4j.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.classic.Lsh;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.SearchResult;
import org.deephash4j.server.encode.ImageEncoder;
import org.deephash4j.server.http.HttpFixture.Part;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service over real HTTP on loopback: every endpoint, its refusals, and a restart. */
class SearchServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private SearchServer server;
    private HttpFixture http;

    /** An LSH model of 3 x 16 x 16 images: random projections, enough to tell gradients apart. */
    static HashFunction model() {
        Random r = new Random(1);
        float[] x = new float[200 * 768];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return new Lsh().fit(new FeatureMatrix(200, 768, x), 64, 5);
    }

    private SearchServer start() throws Exception {
        ImageEncoder encoder = new ImageEncoder("lsh", model(), null, 40_000_000L, data.resolve("tmp"));
        java.nio.file.Files.createDirectories(data.resolve("tmp"));
        ServerOptions o = ServerOptions.defaults("127.0.0.1", 0, data, HttpFixture.KEY, Map.of("lsh", encoder));
        o = new ServerOptions(o.host(), o.port(), o.dataDir(), o.apiKey(), 1 << 20, o.maxImages(), o.maxCodes(), o.maxK(),
                o.maxPixels(), null, o.models());
        SearchServer s = SearchServer.start(o);
        assertTrue(s.awaitReady(Duration.ofSeconds(30)));
        return s;
    }

    @BeforeEach
    void up() throws Exception {
        server = start();
        http = new HttpFixture(server.port());
    }

    @AfterEach
    void down() throws IOException {
        server.close();
    }

    private JsonNode ok(HttpResponse<String> r, int status) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    private void refused(HttpResponse<String> r, int status, String fragment) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
        JsonNode p = JSON.readTree(r.body());
        assertEquals(status, p.get("status").asInt());
        assertTrue(p.get("detail").asText().contains(fragment), p.get("detail").asText() + " lacks '" + fragment + "'");
        assertTrue(!r.body().contains("at org.") && !r.body().contains(data.toString()), "no stack trace, no server path: " + r.body());
    }

    @Test
    void codesAddSearchGetDeleteAndEveryFigureMatchesAFlatIndex() throws Exception {
        ok(http.send("GET", "/v1/health", null, false), 200);
        ok(http.send("GET", "/v1/ready", null, false), 200);
        ok(http.send("POST", "/v1/indexes", "{\"name\": \"codes\", \"bits\": 64}", true), 201);
        Random r = new Random(7);
        long[] words = new long[500];
        long[] ids = new long[500];
        StringBuilder body = new StringBuilder("{\"items\": [");
        for (int i = 0; i < 500; i++) {
            words[i] = r.nextLong();
            ids[i] = 10L * i;
            String hex = HexFormat.of().formatHex(BinaryCodes.of(64, new long[] {words[i]}, null).toPackedBytes(BitOrder.BIG));
            body.append(i == 0 ? "" : ",").append("{\"id\": ").append(ids[i]).append(", \"code\": \"").append(hex)
                    .append("\", \"labels\": [").append(i % 3).append("], \"metadata\": {\"name\": \"item ").append(i).append("\"}}");
        }
        ok(http.send("POST", "/v1/indexes/codes/items", body.append("]}").toString(), true), 201);
        FlatIndex flat = new FlatIndex(64);
        flat.add(BinaryCodes.of(64, words, ids));
        for (int q = 0; q < 5; q++) {
            long w = r.nextLong();
            String hex = HexFormat.of().formatHex(BinaryCodes.of(64, new long[] {w}, null).toPackedBytes(BitOrder.BIG));
            JsonNode res = ok(http.send("POST", "/v1/indexes/codes/search", "{\"code\": \"" + hex + "\", \"k\": 25}", false), 200);
            SearchResult want = flat.search(BinaryCodes.of(64, new long[] {w}, new long[] {0}), 25);
            for (int j = 0; j < 25; j++) {
                assertEquals(want.id(0, j), res.get("results").get(j).get("id").asLong());
                assertEquals(want.distance(0, j), res.get("results").get(j).get("distance").asInt());
            }
            assertEquals(hex, res.get("query").asText());
        }
        JsonNode item = ok(http.send("GET", "/v1/indexes/codes/items/30", null, false), 200);
        assertEquals("item 3", item.get("metadata").get("name").asText());
        assertEquals(HexFormat.of().formatHex(BinaryCodes.of(64, new long[] {words[3]}, null).toPackedBytes(BitOrder.BIG)),
                item.get("code").asText());
        JsonNode byId = ok(http.send("POST", "/v1/indexes/codes/search", "{\"id\": 30, \"k\": 3, \"labels\": [0]}", false), 200);
        assertEquals(30, byId.get("results").get(0).get("id").asLong());
        assertEquals(0, byId.get("results").get(0).get("distance").asInt());
        byId.get("results").forEach(h -> assertEquals(0, h.get("labels").get(0).asInt(), "label filter"));
        JsonNode near = ok(http.send("POST", "/v1/indexes/codes/search", "{\"id\": 30, \"radius\": 0}", false), 200);
        assertEquals(1, near.get("results").size());
        ok(http.send("DELETE", "/v1/indexes/codes/items/30", null, true), 204);
        refused(http.send("GET", "/v1/indexes/codes/items/30", null, false), 404, "no item 30");
        ok(http.send("PUT", "/v1/indexes/codes/items/30", "{\"code\": \"00000000000000ff\", \"labels\": [2]}", true), 200);
        JsonNode stats = ok(http.send("GET", "/v1/indexes/codes", null, false), 200);
        assertEquals(500, stats.get("items").asInt());
        JsonNode all = ok(http.send("GET", "/v1/stats", null, false), 200);
        assertEquals(500, all.get("items").asInt());
        assertTrue(all.get("requests").get("2xx").asLong() >= 10);
    }

    @Test
    void imagesAreEncodedStoredWithThumbnailsAndFoundByImageAcrossARestart() throws Exception {
        ok(http.send("POST", "/v1/indexes", "{\"name\": \"photos\", \"model\": \"lsh\"}", true), 201);
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            parts.add(Part.file("image", "photo" + i + ".png", HttpFixture.png(i, 40 + 3 * i)));
            parts.add(Part.field("id", Integer.toString(100 + i)));
            parts.add(Part.field("labels", Integer.toString(i % 4)));
        }
        ok(http.postMultipart("/v1/indexes/photos/items", parts, true), 201);
        for (int round = 0; round < 2; round++) {
            for (int i : new int[] {0, 5, 11}) {
                JsonNode res = ok(http.postMultipart("/v1/indexes/photos/search", List.of(
                        Part.file("image", "q.png", HttpFixture.png(i, 40 + 3 * i)), Part.field("k", "3")), false), 200);
                JsonNode top = res.get("results").get(0);
                assertEquals(100 + i, top.get("id").asLong(), "the same image comes first (round " + round + ")");
                assertEquals(0, top.get("distance").asInt());
                assertEquals("photo" + i + ".png", top.get("metadata").get("filename").asText());
                HttpResponse<byte[]> thumb = http.getBytes(top.get("thumbnail").asText());
                assertEquals(200, thumb.statusCode());
                assertEquals("image/jpeg", thumb.headers().firstValue("Content-Type").orElse(""));
                assertEquals(ImageEncoder.THUMBNAIL.width(), javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(thumb.body()))
                        .getWidth());
            }
            JsonNode enc = ok(http.postMultipart("/v1/encode?model=lsh", List.of(Part.file("image", "q.png", HttpFixture.png(5, 55))),
                    false), 200);
            assertEquals(16, enc.get("code").asText().length());
            server.close();
            server = start();
            http = new HttpFixture(server.port());
        }
    }

    @Test
    void badRequestsAreClearFourHundredsAndTheServiceKeepsServing() throws Exception {
        ok(http.send("POST", "/v1/indexes", "{\"name\": \"p\", \"model\": \"lsh\"}", true), 201);
        refused(http.send("POST", "/v1/indexes", "{\"name\": \"q\", \"bits\": 64}", false), 401, "needs the API key");
        refused(http.send("DELETE", "/v1/indexes/p", null, false), 401, "needs the API key");
        java.net.http.HttpRequest wrongKey = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port() + "/v1/indexes/p")).DELETE()
                .header("Authorization", "Bearer " + HttpFixture.KEY + "x").build();
        refused(java.net.http.HttpClient.newHttpClient().send(wrongKey, HttpResponse.BodyHandlers.ofString()), 401, "the API key is wrong");
        refused(http.send("POST", "/v1/indexes", "{\"name\": \"p\", \"bits\": 64}", true), 409, "already exists");
        refused(http.send("POST", "/v1/indexes", "{\"name\": \"../../etc\", \"bits\": 64}", true), 400, "index names");
        refused(http.send("POST", "/v1/indexes", "{\"name\": \"x\", \"bits\": 64", true), 400, "not valid JSON");
        refused(http.send("POST", "/v1/indexes/nope/search", "{\"code\": \"00\"}", false), 404, "no index 'nope'");
        refused(http.send("POST", "/v1/indexes/p/search", "{\"code\": \"00ff\"}", false), 400, "16 hex digits");
        refused(http.send("POST", "/v1/indexes/p/search", "{\"code\": \"zz00000000000000\"}", false), 400, "hex");
        refused(http.send("POST", "/v1/indexes/p/search", "{\"code\": \"0000000000000000\", \"k\": 100000}", false), 400, "k must be");
        refused(http.send("GET", "/v1/indexes/p/items/..%2F..%2Fcommit", null, false), 400, "item ids");
        refused(http.send("GET", "/v1/indexes/p/items/-3", null, false), 400, "item ids");
        refused(http.send("GET", "/v1/nothing", null, false), 404, "no such endpoint");
        String big = "{\"name\": \"" + "a".repeat(2 << 20) + "\"}";
        refused(http.send("POST", "/v1/indexes", big, true), 413, "larger than");
        refused(http.postMultipart("/v1/indexes/p/items", List.of(Part.file("image", "a.png", "hello, not an image".getBytes()),
                Part.field("id", "1")), true), 415, "not an image");
        byte[] png = HttpFixture.png(1, 50);
        refused(http.postMultipart("/v1/indexes/p/items", List.of(Part.file("image", "a.png", java.util.Arrays.copyOf(png, 60)),
                Part.field("id", "1")), true), 422, "image 0");
        refused(http.postMultipart("/v1/indexes/p/items", List.of(Part.file("image", "bomb.png", HttpFixture.pngHeaderOnly(50_000,
                50_000)), Part.field("id", "1")), true), 413, "50000 x 50000");
        refused(http.postMultipart("/v1/indexes/p/items", List.of(Part.file("image", "a.png", png)), true), 400, "one 'id'");
        refused(http.postMultipart("/v1/indexes/p/items", List.of(Part.file("image", "a.png", png), Part.field("id", "../1")), true),
                400, "item ids");
        byte[] truncated = HttpFixture.multipart("bnd", List.of(Part.file("image", "a.png", png), Part.field("id", "1")));
        HttpResponse<String> cut = http.postMultipart("/v1/indexes/p/items", java.util.Arrays.copyOf(truncated, truncated.length / 2),
                "bnd", true);
        assertTrue(cut.statusCode() == 400 || cut.statusCode() == 422, cut.statusCode() + " " + cut.body());
        JsonNode p = ok(http.send("GET", "/v1/indexes/p", null, false), 200);
        assertEquals(0, p.get("items").asInt(), "nothing was added by the refused requests");
        ok(http.send("GET", "/v1/health", null, false), 200);
        ok(http.send("DELETE", "/v1/indexes/p", null, true), 204);
        refused(http.send("GET", "/v1/indexes/p", null, false), 404, "no index");
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutesServed() throws Exception {
        JsonNode doc = ok(http.send("GET", "/v1/openapi.json", null, false), 200);
        assertEquals("3.1.0", doc.get("openapi").asText());
        int operations = 0;
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) doc.get("paths").properties()::iterator) {
            for (String method : List.of("get", "post", "put", "delete")) {
                if (path.getValue().has(method)) {
                    operations++;
                    String concrete = path.getKey().replace("{name}", "nope").replace("{id}", "1");
                    HttpResponse<String> r = http.send(method.toUpperCase(java.util.Locale.ROOT), concrete, "{}", true);
                    assertTrue(!r.body().contains("no such endpoint") && r.statusCode() != 405, method + " " + concrete + ": " + r.body());
                }
            }
        }
        assertEquals(16, operations, "every operation of the API is documented");
        HttpResponse<String> page = http.send("GET", "/api", null, false);
        assertEquals(200, page.statusCode());
        String bundle = page.body().replaceAll("(?s).*src=\"([^\"]*swagger-ui-bundle.js)\".*", "$1");
        assertEquals(200, http.getBytes(bundle).statusCode(), "Swagger UI is served from the jar: " + bundle);
    }
}
