package org.deephash4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TensorFlow.js layers model as npm packages bundle it: {@code model.min.js}, a JavaScript module
 * whose export is the {@code model.json} object (the Keras configuration, {@code modelTopology}, and the
 * {@code weightsManifest}) written as a JavaScript literal, and one {@code PATH.min.js} per weight shard
 * exporting the shard's bytes as a base64 string. Weights are float32, or uint8-quantised with a
 * per-tensor affine map ({@code value = min + scale * q}), and are returned de-quantised, by name.
 * Every size is checked against the manifest before it is used.
 */
public record TfjsLayersModel(JsonNode topology, Map<String, Tensor> weights) {

    /** A weight: its values (row-major) and shape. */
    public record Tensor(int[] shape, float[] values) {
    }

    private static final ObjectMapper LITERAL = JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
            JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS, JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
    /** The most values one tensor may have (a MobileNetV2's largest has 1.3 million). */
    private static final long MAX_TENSOR = 1L << 28;

    /** Reads the model in {@code dir} ({@code model.min.js} and its shards). */
    public static TfjsLayersModel read(Path dir) throws IOException {
        Path modelFile = dir.resolve("model.min.js");
        JsonNode model = parseExport(modelFile, readLiteral(modelFile, "{"));
        JsonNode topology = model.get("modelTopology");
        JsonNode manifest = model.get("weightsManifest");
        if (topology == null || manifest == null || !manifest.isArray()) {
            throw new MalformedFileException(modelFile, "no modelTopology or weightsManifest");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            ByteBuffer bytes = shards(dir, group.get("paths"));
            for (JsonNode w : group.get("weights")) {
                String name = w.path("name").asText();
                int[] shape = new int[w.path("shape").size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.get("shape").get(i).asInt(-1);
                    if (shape[i] < 0) {
                        throw new MalformedFileException(modelFile, "weight " + name + " has a negative dimension");
                    }
                    count *= shape[i];
                    if (count > MAX_TENSOR) {
                        throw new MalformedFileException(modelFile, "weight " + name + " has more than " + MAX_TENSOR + " values");
                    }
                }
                JsonNode q = w.get("quantization");
                int width = q == null ? 4 : switch (q.path("dtype").asText()) {
                    case "uint8" -> 1;
                    default -> throw new MalformedFileException(modelFile, "weight " + name + ": unsupported quantization "
                            + q.path("dtype").asText());
                };
                if (q == null && !"float32".equals(w.path("dtype").asText())) {
                    throw new MalformedFileException(modelFile, "weight " + name + ": unsupported dtype " + w.path("dtype").asText());
                }
                if (bytes.remaining() < count * width) {
                    throw new MalformedFileException(modelFile, "the shards end inside weight " + name);
                }
                float[] values = new float[(int) count];
                if (q == null) {
                    bytes.asFloatBuffer().get(values);
                    bytes.position(bytes.position() + 4 * values.length);
                } else {
                    double min = q.path("min").asDouble(Double.NaN);
                    double scale = q.path("scale").asDouble(Double.NaN);
                    if (!Double.isFinite(min) || !Double.isFinite(scale)) {
                        throw new MalformedFileException(modelFile, "weight " + name + " has no finite quantization min and scale");
                    }
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (min + scale * Byte.toUnsignedInt(bytes.get()));
                    }
                }
                for (float v : values) {
                    if (!Float.isFinite(v)) {
                        throw new MalformedFileException(modelFile, "weight " + name + " has a value that is not finite");
                    }
                }
                if (weights.put(name, new Tensor(shape, values)) != null) {
                    throw new MalformedFileException(modelFile, "weight " + name + " appears twice");
                }
            }
            if (bytes.hasRemaining()) {
                throw new MalformedFileException(dir, bytes.remaining() + " bytes in the shards past the manifest's weights");
            }
        }
        return new TfjsLayersModel(topology, weights);
    }

    private static ByteBuffer shards(Path dir, JsonNode paths) throws IOException {
        if (paths == null || !paths.isArray() || paths.isEmpty()) {
            throw new MalformedFileException(dir, "a weight group without shard paths");
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (JsonNode p : paths) {
            String name = p.asText();
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new MalformedFileException(dir, "shard path '" + name + "' is not a plain file name");
            }
            Path file = dir.resolve(name + ".min.js");
            String literal = readLiteral(file, "\"");
            try {
                all.writeBytes(Base64.getDecoder().decode(literal.substring(1, literal.length() - 1)));
            } catch (IllegalArgumentException e) {
                throw new MalformedFileException(file, "the shard is not base64: " + e.getMessage());
            }
        }
        return ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The literal the bundled module exports ({@code .exports=}), starting with {@code open}. */
    private static String readLiteral(Path file, String open) throws IOException {
        String s = Files.readString(file);
        int at = s.indexOf(".exports=" + open);
        if (at < 0) {
            throw new MalformedFileException(file, "not a bundled TensorFlow.js module (no exported literal)");
        }
        int start = at + ".exports=".length();
        int end = literalEnd(s, start);
        if (end < 0) {
            throw new MalformedFileException(file, "the exported literal does not end");
        }
        return s.substring(start, end);
    }

    /** The index after the literal starting at {@code start}: brackets matched outside strings. */
    private static int literalEnd(String s, int start) {
        int depth = 0;
        char quote = 0;
        for (int p = start; p < s.length(); p++) {
            char c = s.charAt(p);
            if (quote != 0) {
                if (c == '\\') {
                    p++;
                } else if (c == quote) {
                    quote = 0;
                    if (depth == 0) {
                        return p + 1;
                    }
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return p + 1;
                }
            }
        }
        return -1;
    }

    /** A JavaScript object literal as JSON: unquoted keys, leading-dot numbers, {@code !0}/{@code !1} booleans. */
    private static JsonNode parseExport(Path file, String literal) throws IOException {
        StringBuilder json = new StringBuilder(literal.length());
        char quote = 0;
        for (int p = 0; p < literal.length(); p++) {
            char c = literal.charAt(p);
            if (quote != 0) {
                json.append(c);
                if (c == '\\' && p + 1 < literal.length()) {
                    json.append(literal.charAt(++p));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                json.append(c);
            } else if (c == '!' && p + 1 < literal.length() && (literal.charAt(p + 1) == '0' || literal.charAt(p + 1) == '1')) {
                json.append(literal.charAt(++p) == '0' ? "true" : "false");
            } else {
                json.append(c);
            }
        }
        try {
            return LITERAL.readTree(json.toString());
        } catch (JacksonException e) {
            throw new MalformedFileException(file, "the exported literal is not a plain object: " + e.getOriginalMessage());
        }
    }
}
