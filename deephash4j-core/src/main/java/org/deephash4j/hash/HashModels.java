package org.deephash4j.hash;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.zip.CRC32C;
import org.deephash4j.hash.classic.ClassicModelLoader;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.MalformedFileException;

/**
 * Saves and loads hash functions ({@code .dhm} model files). Layout, little-endian:
 *
 * <pre>
 * "DH4JMODL" | version u32 (2) | header length u32 | header JSON (method, bits, input_dimension, config,
 * array names and lengths, section names and lengths) | the arrays' float64 values in header order |
 * the sections' bytes in header order | CRC32C u32 of everything after the magic | end marker "DHME"
 * </pre>
 *
 * Version 1 files (no sections) are still read.
 *
 * Written atomically; a truncated, corrupted or foreign file, or an unknown method, is refused with a
 * message naming the file.
 */
public final class HashModels {

    /** The usual file name extension. */
    public static final String EXTENSION = ".dhm";
    static final byte[] MAGIC = "DH4JMODL".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "DHME".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;

    private HashModels() {
    }

    /** Saves {@code function} to {@code file}, with {@code provenance} (data set, protocol, ...) in its config. */
    public static void save(Path file, HashFunction function, Map<String, Object> provenance) throws IOException {
        write(file, function.contents().withConfig(Map.of("provenance", provenance)));
    }

    /** Writes any contents in the model file format (also used for training checkpoints), atomically. */
    public static void write(Path file, ModelContents c) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("method", c.method());
        header.put("bits", c.bits());
        header.put("input_dimension", c.inputDimension());
        header.put("config", c.config());
        List<Map<String, Object>> arrays = new ArrayList<>();
        int values = 0;
        for (var e : c.arrays().entrySet()) {
            arrays.add(Map.of("name", e.getKey(), "length", e.getValue().length));
            values += e.getValue().length;
        }
        header.put("arrays", arrays);
        List<Map<String, Object>> sections = new ArrayList<>();
        long bytes = 0;
        for (var e : c.sections().entrySet()) {
            sections.add(Map.of("name", e.getKey(), "length", e.getValue().length));
            bytes += e.getValue().length;
        }
        header.put("sections", sections);
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        long size = 8L + json.length + 8L * values + bytes;
        if (size > Integer.MAX_VALUE - 64) {
            throw new IOException("model of " + size + " bytes is too large for the .dhm format (2 GB)");
        }
        ByteBuffer body = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(VERSION).putInt(json.length).put(json);
        for (double[] a : c.arrays().values()) {
            for (double v : a) {
                body.putDouble(v);
            }
        }
        for (byte[] s : c.sections().values()) {
            body.put(s);
        }
        CRC32C crc = new CRC32C();
        crc.update(body.array(), 0, body.position());
        ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).put(END);
        AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(body.array(), 0, body.position());
            out.write(tail.array());
        });
    }

    /** Reads the contents of a model file, checking its structure and checksum. */
    public static ModelContents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 16 || !java.util.Arrays.equals(java.util.Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new MalformedFileException(file, "not a deephash4j model file (wrong magic or too short)");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        b.position(MAGIC.length);
        int version = b.getInt();
        if (version != 1 && version != VERSION) {
            throw new MalformedFileException(file, "model file version " + version + " is not supported (this build reads 1 and "
                    + VERSION + ")");
        }
        int headerLength = b.getInt();
        if (headerLength < 0 || MAGIC.length + 8L + headerLength + 8 > all.length) {
            throw new MalformedFileException(file, "truncated: header of " + headerLength + " bytes does not fit");
        }
        byte[] json = new byte[headerLength];
        b.get(json);
        Map<String, Object> header;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> h = new ObjectMapper().readValue(json, Map.class);
            header = h;
        } catch (IOException e) {
            throw new MalformedFileException(file, "corrupted header: " + e.getMessage(), e);
        }
        try {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> arrays = (List<Map<String, Object>>) header.get("arrays");
            long values = 0;
            for (Map<String, Object> a : arrays) {
                values += nonNegative(file, a);
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> sections = version == 1 ? List.of() : (List<Map<String, Object>>) header.get("sections");
            long bytes = 0;
            for (Map<String, Object> s : sections) {
                bytes += nonNegative(file, s);
            }
            long expected = MAGIC.length + 8L + headerLength + 8 * values + bytes + 8;
            if (all.length != expected) {
                throw new MalformedFileException(file, (all.length < expected ? "truncated" : "unexpected trailing bytes")
                        + ": expected " + expected + " bytes, file has " + all.length);
            }
            CRC32C crc = new CRC32C();
            crc.update(all, MAGIC.length, (int) (expected - 8 - MAGIC.length));
            ByteBuffer tail = ByteBuffer.wrap(all, (int) expected - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
            int stored = tail.getInt();
            if (stored != (int) crc.getValue() || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(all, all.length - 4, all.length), END)) {
                throw new MalformedFileException(file, "checksum mismatch: the file is corrupted");
            }
            Map<String, double[]> data = new LinkedHashMap<>();
            for (Map<String, Object> a : arrays) {
                double[] v = new double[((Number) a.get("length")).intValue()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getDouble();
                }
                data.put((String) a.get("name"), v);
            }
            Map<String, byte[]> sectionData = new LinkedHashMap<>();
            for (Map<String, Object> s : sections) {
                byte[] v = new byte[((Number) s.get("length")).intValue()];
                b.get(v);
                sectionData.put((String) s.get("name"), v);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) header.get("config");
            return new ModelContents((String) header.get("method"), ((Number) header.get("bits")).intValue(),
                    ((Number) header.get("input_dimension")).intValue(), config, data, sectionData);
        } catch (ClassCastException | NullPointerException e) {
            throw new MalformedFileException(file, "corrupted header: " + e.getMessage(), e);
        }
    }

    private static long nonNegative(Path file, Map<String, Object> entry) throws MalformedFileException {
        long length = ((Number) entry.get("length")).longValue();
        if (length < 0) {
            throw new MalformedFileException(file, "corrupted header: negative length of '" + entry.get("name") + "'");
        }
        return length;
    }

    /** Loads the hash function saved in {@code file}. */
    public static HashFunction load(Path file) throws IOException {
        ModelContents c = read(file);
        try {
            return loaderFor(c.method()).load(c);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, e.getMessage(), e);
        }
    }

    private static HashModelLoader loaderFor(String method) {
        ClassicModelLoader classic = new ClassicModelLoader();
        if (classic.supports(method)) {
            return classic;
        }
        for (HashModelLoader l : ServiceLoader.load(HashModelLoader.class)) {
            if (l.supports(method)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no loader for hash method '" + method + "' (is its module on the class path?)");
    }
}
