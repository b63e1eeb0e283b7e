package org.deephash4j.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.Image;
import org.deephash4j.server.encode.ImageEncoder;
import org.deephash4j.server.store.Hit;
import org.deephash4j.server.store.Item;
import org.deephash4j.server.store.ServedIndex;

/**
 * The REST API, version 1: health and statistics, indexes, items (by code or by image), search (by
 * code, by a stored item or by image; k nearest or within a radius; optionally by label) and encoding.
 * Every handler checks its input before it changes anything; refusals are {@link ApiProblem}s.
 */
final class IndexApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerOptions options;
    private final ServiceState server;

    IndexApi(ServerOptions options, ServiceState server) {
        this.options = options;
        this.server = server;
    }

    /** Whether a request changes something (and so needs the API key): every write except search and encode. */
    static boolean needsKey(Context ctx) {
        String m = ctx.method().name();
        boolean write = m.equals("POST") || m.equals("PUT") || m.equals("DELETE") || m.equals("PATCH");
        return write && !ctx.path().endsWith("/search") && !ctx.path().equals("/v1/encode");
    }

    void register(RoutesConfig r) {
        r.get("/v1/health", ctx -> json(ctx, 200, JSON.createObjectNode().put("status", "ok")));
        r.get("/v1/ready", ctx -> {
            if (!server.ready()) {
                server.registry();
            }
            json(ctx, 200, JSON.createObjectNode().put("status", "ready"));
        });
        r.get("/v1/stats", this::stats);
        r.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(resource("/org/deephash4j/server/openapi.json")));
        r.get("/api", ctx -> ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' "
                + "'unsafe-inline'").html(new String(resource("/org/deephash4j/server/api/api.html"),
                java.nio.charset.StandardCharsets.UTF_8).replace("{{swagger}}", swaggerPath())));
        r.get("/v1/models", this::models);
        r.get("/v1/indexes", ctx -> {
            ArrayNode list = JSON.createArrayNode();
            server.registry().all().forEach(i -> list.add(JSON.valueToTree(i.stats())));
            json(ctx, 200, JSON.createObjectNode().set("indexes", list));
        });
        r.post("/v1/indexes", this::createIndex);
        r.get("/v1/indexes/{index}", ctx -> json(ctx, 200, JSON.valueToTree(index(ctx).stats())));
        r.delete("/v1/indexes/{index}", ctx -> {
            if (!server.registry().delete(ctx.pathParam("index"))) {
                throw ApiProblem.notFound("no index '" + ctx.pathParam("index") + "'");
            }
            ctx.status(204);
        });
        r.post("/v1/indexes/{index}/items", this::addItems);
        r.put("/v1/indexes/{index}/items/{id}", this::putItem);
        r.get("/v1/indexes/{index}/items/{id}", this::getItem);
        r.delete("/v1/indexes/{index}/items/{id}", ctx -> {
            if (!index(ctx).delete(id(ctx))) {
                throw ApiProblem.notFound("no item " + ctx.pathParam("id") + " in index '" + ctx.pathParam("index") + "'");
            }
            ctx.status(204);
        });
        r.get("/v1/indexes/{index}/items/{id}/thumbnail", ctx -> {
            var file = index(ctx).thumbnail(id(ctx))
                    .orElseThrow(() -> ApiProblem.notFound("item " + ctx.pathParam("id") + " has no thumbnail"));
            byte[] jpeg;
            try {
                jpeg = Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException removedOutsideTheServer) {
                throw ApiProblem.notFound("item " + ctx.pathParam("id") + " has no thumbnail");
            }
            ctx.contentType("image/jpeg").header("Cache-Control", "max-age=60").result(jpeg);
        });
        r.post("/v1/indexes/{index}/search", this::search);
        r.post("/v1/encode", this::encode);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = IndexApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    /** Where Javalin serves the Swagger UI webjar's files: its version is read from the jar's Maven metadata. */
    private static String swaggerPath() throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.ByteArrayInputStream(resource("/META-INF/maven/org.webjars/swagger-ui/pom.properties")));
        return "/webjars/swagger-ui/" + p.getProperty("version");
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    private ServedIndex index(Context ctx) {
        String name = ctx.pathParam("index");
        return server.registry().get(name).orElseThrow(() -> ApiProblem.notFound("no index '" + name + "'"));
    }

    private static long id(Context ctx) {
        return parseId(ctx.pathParam("id"));
    }

    private static long parseId(String text) {
        try {
            long id = Long.parseLong(text.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // refused below
        }
        throw ApiProblem.badRequest("item ids are non-negative 64-bit integers, got '" + text + "'");
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode n = JSON.readTree(ctx.bodyAsBytes());
            if (n == null || !n.isObject()) {
                throw ApiProblem.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiProblem.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    private void stats(Context ctx) {
        ObjectNode s = JSON.createObjectNode();
        s.put("status", server.ready() ? "ready" : "loading");
        s.put("uptime_seconds", Math.round(server.uptimeSeconds() * 10) / 10.0);
        if (server.ready()) {
            long items = 0;
            ArrayNode list = JSON.createArrayNode();
            for (ServedIndex i : server.registry().all()) {
                ServedIndex.Stats st = i.stats();
                items += st.items();
                list.add(JSON.valueToTree(st));
            }
            s.put("items", items);
            s.set("indexes", list);
        }
        Runtime rt = Runtime.getRuntime();
        s.set("memory", JSON.createObjectNode().put("heap_used_bytes", rt.totalMemory() - rt.freeMemory())
                .put("heap_max_bytes", rt.maxMemory()));
        ObjectNode req = JSON.createObjectNode();
        for (int c = 2; c <= 5; c++) {
            req.put(c + "xx", server.requests(c));
        }
        s.set("requests", req);
        s.set("models", JSON.valueToTree(options.models().keySet().stream().sorted().toList()));
        json(ctx, 200, s);
    }

    private void models(Context ctx) {
        ArrayNode list = JSON.createArrayNode();
        options.models().values().stream().sorted(java.util.Comparator.comparing(ImageEncoder::name)).forEach(m -> list.add(
                JSON.createObjectNode().put("name", m.name()).put("method", m.function().method()).put("bits", m.function().bits())
                        .put("input", m.shape().toString())));
        json(ctx, 200, JSON.createObjectNode().set("models", list));
    }

    private void createIndex(Context ctx) throws IOException {
        JsonNode b = body(ctx);
        String name = text(b, "name", true);
        String model = text(b, "model", false);
        String type = b.has("type") ? text(b, "type", true) : "flat";
        int bits;
        if (model != null) {
            ImageEncoder m = options.models().get(model);
            if (m == null) {
                throw ApiProblem.badRequest("no model '" + model + "'; this service has " + options.models().keySet());
            }
            bits = m.function().bits();
            if (b.has("bits") && b.get("bits").asInt() != bits) {
                throw ApiProblem.badRequest("model '" + model + "' gives " + bits + "-bit codes, not " + b.get("bits").asText());
            }
        } else {
            if (!b.has("bits") || !b.get("bits").canConvertToInt()) {
                throw ApiProblem.badRequest("give 'bits' (the code length) or a 'model'");
            }
            bits = b.get("bits").asInt();
        }
        ServedIndex index = server.registry().create(new ServedIndex.Settings(name, bits, type, model));
        ctx.header("Location", "/v1/indexes/" + name);
        json(ctx, 201, JSON.valueToTree(index.stats()));
    }

    private static String text(JsonNode b, String field, boolean required) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiProblem.badRequest("'" + field + "' is missing");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiProblem.badRequest("'" + field + "' must be a string");
        }
        return n.asText();
    }

    private static Item itemOf(long id, JsonNode labels, JsonNode metadata) {
        List<Integer> l = new ArrayList<>();
        if (labels != null && !labels.isNull()) {
            if (!labels.isArray()) {
                throw ApiProblem.badRequest("'labels' must be an array of class indices");
            }
            for (JsonNode x : labels) {
                if (!x.canConvertToInt()) {
                    throw ApiProblem.badRequest("labels are integers, got " + x);
                }
                l.add(x.asInt());
            }
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw ApiProblem.badRequest("'metadata' must be an object of strings");
            }
            metadata.properties().forEach(e -> m.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                    : e.getValue().toString()));
        }
        return new Item(id, l, m);
    }

    private void addItems(Context ctx) throws IOException {
        ServedIndex index = index(ctx);
        boolean upsert = "true".equals(ctx.queryParam("upsert"));
        if (ctx.isMultipartFormData()) {
            addImages(ctx, index, upsert);
            return;
        }
        JsonNode b = body(ctx);
        JsonNode list = b.get("items");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiProblem.badRequest("give 'items': a non-empty array of {id, code, labels, metadata}");
        }
        if (list.size() > options.maxCodes()) {
            throw new ApiProblem(413, list.size() + " items in one request; at most " + options.maxCodes());
        }
        int bits = index.settings().bits();
        List<Item> items = new ArrayList<>();
        long[] words = new long[list.size() * BinaryCodes.wordsFor(bits)];
        long[] ids = new long[list.size()];
        int i = 0;
        for (JsonNode n : list) {
            if (!n.isObject() || !n.has("id")) {
                throw ApiProblem.badRequest("item " + i + " has no 'id'");
            }
            long id = parseId(n.get("id").asText());
            BinaryCodes code = HexCodes.parse(n.has("code") ? n.get("code").asText() : null, bits, id);
            System.arraycopy(code.words(), 0, words, i * code.wordsPerCode(), code.wordsPerCode());
            ids[i] = id;
            items.add(itemOf(id, n.get("labels"), n.get("metadata")));
            i++;
        }
        index.put(items, BinaryCodes.of(bits, words, ids), upsert);
        json(ctx, upsert ? 200 : 201, JSON.createObjectNode().put("count", items.size()));
    }

    private void addImages(Context ctx, ServedIndex index, boolean upsert) throws IOException {
        ImageEncoder model = modelOf(index);
        List<UploadedFile> files = ctx.uploadedFiles("image");
        if (files.isEmpty()) {
            throw ApiProblem.badRequest("give the images as multipart parts named 'image'");
        }
        if (files.size() > options.maxImages()) {
            throw new ApiProblem(413, files.size() + " images in one request; at most " + options.maxImages());
        }
        List<String> ids = ctx.formParams("id");
        if (ids.size() != files.size()) {
            throw ApiProblem.badRequest("give one 'id' field per image: " + files.size() + " images, " + ids.size() + " ids");
        }
        List<String> labels = ctx.formParams("labels");
        List<String> metadata = ctx.formParams("metadata");
        if ((!labels.isEmpty() && labels.size() != files.size()) || (!metadata.isEmpty() && metadata.size() != files.size())) {
            throw ApiProblem.badRequest("'labels' and 'metadata' fields, when given, come one per image");
        }
        List<Item> items = new ArrayList<>();
        List<Image> inputs = new ArrayList<>();
        Map<Long, byte[]> thumbs = new HashMap<>();
        long[] idArray = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            long id = parseId(ids.get(i));
            ImageEncoder.Decoded d = decode(model, files.get(i), "image " + i);
            JsonNode labelNode = labels.isEmpty() ? null : parseLabels(labels.get(i));
            JsonNode metaNode = metadata.isEmpty() ? null : parseJson(metadata.get(i), "metadata of image " + i);
            Item item = itemOf(id, labelNode, metaNode);
            if (!item.metadata().containsKey("filename") && files.get(i).filename() != null && item.metadata().size() < Item.MAX_METADATA) {
                Map<String, String> m = new LinkedHashMap<>(item.metadata());
                m.put("filename", truncate(files.get(i).filename(), 200));
                item = new Item(id, item.labels(), m);
            }
            items.add(item);
            inputs.add(d.input());
            thumbs.put(id, d.thumbnail());
            idArray[i] = id;
        }
        BinaryCodes codes = model.encode(inputs, idArray);
        index.put(items, codes, upsert, thumbs);
        json(ctx, upsert ? 200 : 201, JSON.createObjectNode().put("count", items.size()));
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }

    private static JsonNode parseLabels(String text) {
        ArrayNode a = JSON.createArrayNode();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                try {
                    a.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw ApiProblem.badRequest("labels are comma-separated integers, got '" + text + "'");
                }
            }
        }
        return a;
    }

    private static JsonNode parseJson(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest(what + " is not valid JSON");
        }
    }

    private ImageEncoder modelOf(ServedIndex index) {
        String name = index.settings().model();
        if (name == null) {
            throw ApiProblem.badRequest("index '" + index.settings().name() + "' has no model: add and search by code");
        }
        ImageEncoder m = options.models().get(name);
        if (m == null) {
            throw new ApiProblem(503, "index '" + index.settings().name() + "' uses model '" + name + "', which this service was not "
                    + "started with");
        }
        return m;
    }

    private ImageEncoder.Decoded decode(ImageEncoder model, UploadedFile file, String what) throws IOException {
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, options.maxBodyBytes()));
        }
        try {
            return model.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(415, what + ": " + e.getMessage());
        } catch (org.deephash4j.io.MalformedFileException e) {
            int status = e.problem().contains("pixels allowed") ? 413 : 422;
            throw new ApiProblem(status, what + ": " + e.problem());
        }
    }

    private void putItem(Context ctx) throws IOException {
        ServedIndex index = index(ctx);
        long id = id(ctx);
        JsonNode b = body(ctx);
        BinaryCodes code = HexCodes.parse(b.has("code") ? b.get("code").asText() : null, index.settings().bits(), id);
        index.put(List.of(itemOf(id, b.get("labels"), b.get("metadata"))), code, true);
        json(ctx, 200, JSON.createObjectNode().put("count", 1));
    }

    private void getItem(Context ctx) {
        ServedIndex index = index(ctx);
        long id = id(ctx);
        ServedIndex.StoredItem s = index.get(id)
                .orElseThrow(() -> ApiProblem.notFound("no item " + id + " in index '" + index.settings().name() + "'"));
        ObjectNode n = itemJson(index, s.item());
        n.put("code", s.code().hex(0));
        json(ctx, 200, n);
    }

    private static ObjectNode itemJson(ServedIndex index, Item item) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", item.id());
        n.set("labels", JSON.valueToTree(item.labels()));
        n.set("metadata", JSON.valueToTree(item.metadata()));
        n.put("thumbnail", index.thumbnail(item.id()).isPresent()
                ? "/v1/indexes/" + index.settings().name() + "/items/" + item.id() + "/thumbnail" : null);
        return n;
    }

    private void search(Context ctx) throws IOException {
        long t0 = System.nanoTime();
        ServedIndex index = index(ctx);
        int bits = index.settings().bits();
        BinaryCodes query;
        Integer k;
        Integer radius;
        Set<Integer> labels = new HashSet<>();
        int limit;
        if (ctx.isMultipartFormData()) {
            List<UploadedFile> files = ctx.uploadedFiles("image");
            if (files.size() != 1) {
                throw ApiProblem.badRequest("search by image takes one multipart part named 'image', got " + files.size());
            }
            ImageEncoder model = modelOf(index);
            query = model.encode(List.of(decode(model, files.get(0), "the image").input()), new long[] {0});
            k = intParam(ctx.formParam("k"), "k");
            radius = intParam(ctx.formParam("radius"), "radius");
            Integer l = intParam(ctx.formParam("limit"), "limit");
            limit = l == null ? 1000 : l;
            String labelText = ctx.formParam("labels");
            if (labelText != null) {
                parseLabels(labelText).forEach(x -> labels.add(x.asInt()));
            }
        } else {
            JsonNode b = body(ctx);
            if (b.has("code") == b.has("id")) {
                throw ApiProblem.badRequest("search by 'code' (hex) or by a stored item's 'id', one of the two; or upload an 'image'");
            }
            if (b.has("code")) {
                query = HexCodes.parse(b.get("code").asText(), bits, 0);
            } else {
                long id = parseId(b.get("id").asText());
                query = index.get(id).orElseThrow(() -> ApiProblem.notFound("no item " + id + " to search from")).code();
            }
            k = b.has("k") ? intValue(b.get("k"), "k") : null;
            radius = b.has("radius") ? intValue(b.get("radius"), "radius") : null;
            limit = b.has("limit") ? intValue(b.get("limit"), "limit") : 1000;
            if (b.has("labels")) {
                itemOf(0, b.get("labels"), null).labels().forEach(labels::add);
            }
        }
        if (k != null && radius != null) {
            throw ApiProblem.badRequest("give 'k' or 'radius', not both");
        }
        ServedIndex.View view = index.view();
        List<Hit> hits;
        if (radius != null) {
            if (radius < 0 || radius > bits) {
                throw ApiProblem.badRequest("radius must be in [0, " + bits + "], got " + radius);
            }
            checkRange("limit", limit);
            hits = view.within(query, radius, labels, limit);
        } else {
            int kk = k == null ? 10 : k;
            checkRange("k", kk);
            hits = view.search(query, kk, labels);
        }
        ArrayNode results = JSON.createArrayNode();
        for (Hit h : hits) {
            ObjectNode n = itemJson(index, view.item(h.id()));
            n.put("distance", h.distance());
            results.add(n);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("query", query.hex(0));
        out.set("results", results);
        out.put("took_ms", Math.round((System.nanoTime() - t0) / 1e4) / 100.0);
        json(ctx, 200, out);
    }

    private void checkRange(String what, int value) {
        if (value < 1 || value > options.maxK()) {
            throw ApiProblem.badRequest(what + " must be in [1, " + options.maxK() + "], got " + value);
        }
    }

    private static Integer intParam(String text, String what) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("'" + what + "' must be an integer, got '" + text + "'");
        }
    }

    private static int intValue(JsonNode n, String what) {
        if (!n.canConvertToInt()) {
            throw ApiProblem.badRequest("'" + what + "' must be an integer, got " + n);
        }
        return n.asInt();
    }

    private void encode(Context ctx) throws IOException {
        String name = ctx.queryParam("model");
        if (name == null && ctx.queryParam("index") != null) {
            name = server.registry().get(ctx.queryParam("index"))
                    .orElseThrow(() -> ApiProblem.notFound("no index '" + ctx.queryParam("index") + "'")).settings().model();
        }
        if (name == null && options.models().size() == 1) {
            name = options.models().keySet().iterator().next();
        }
        ImageEncoder model = name == null ? null : options.models().get(name);
        if (model == null) {
            throw ApiProblem.badRequest("name a model (?model=NAME) or an index (?index=NAME); models: " + options.models().keySet());
        }
        if (!ctx.isMultipartFormData()) {
            throw ApiProblem.badRequest("upload the image as a multipart part named 'image'");
        }
        List<UploadedFile> files = ctx.uploadedFiles("image");
        if (files.size() != 1) {
            throw ApiProblem.badRequest("encode takes one multipart part named 'image', got " + files.size());
        }
        BinaryCodes code = model.encode(List.of(decode(model, files.get(0), "the image").input()), new long[] {0});
        json(ctx, 200, JSON.createObjectNode().put("model", model.name()).put("bits", code.bits()).put("code", code.hex(0)));
    }
}
