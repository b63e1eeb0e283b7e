package org.deephash4j.hash;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.zip.CRC32C;
import org.deephash4j.hash.classic.ClassicModelLoader;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.FileChannels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Sizes;

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
    /** The largest model file: the writer refuses anything larger. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

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
        long values = 0;
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
        if (size > MAX_FILE_BYTES - MAGIC.length - 8) {
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

    /**
     * Reads the contents of a model file, checking its structure and checksum. Sizes in the header are
     * checked against the file's length before anything is allocated; every array value must be finite.
     */
    public static ModelContents read(Path file) throws IOException {
        try (FileChannel ch = FileChannels.openForReading(file)) {
            long size = ch.size();
            if (size < MAGIC.length + 16) {
                throw new MalformedFileException(file, "not a deephash4j model file (only " + size + " bytes)");
            }
            if (size > MAX_FILE_BYTES) {
                throw new MalformedFileException(file, "not a deephash4j model file (" + size + " bytes; model files are at most "
                        + MAX_FILE_BYTES + ")");
            }
            ByteBuffer start = ByteBuffer.allocate(MAGIC.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            FileChannels.readFully(file, ch, start, 0);
            if (!java.util.Arrays.equals(java.util.Arrays.copyOf(start.array(), MAGIC.length), MAGIC)) {
                throw new MalformedFileException(file, "not a deephash4j model file (wrong magic)");
            }
            int version = start.getInt(MAGIC.length);
            if (version != 1 && version != VERSION) {
                throw new MalformedFileException(file, "model file version " + version + " is not supported (this build reads 1 and "
                        + VERSION + ")");
            }
            int headerLength = start.getInt(MAGIC.length + 4);
            Sizes.count(file, "header length", headerLength, size - MAGIC.length - 16);
            CRC32C crc = new CRC32C();
            crc.update(start.array(), MAGIC.length, 8);
            byte[] json = new byte[headerLength];
            long pos = FileChannels.readBytes(file, ch, MAGIC.length + 8L, json, crc);
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
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> sections = version == 1 ? List.of() : (List<Map<String, Object>>) header.get("sections");
                long expected = pos + 8;
                for (Map<String, Object> a : arrays) {
                    expected += 8L * length(file, a, size);
                }
                for (Map<String, Object> s : sections) {
                    expected += length(file, s, size);
                }
                Sizes.exactLength(file, "the header and the arrays and sections it lists", expected, size);
                Map<String, double[]> data = new LinkedHashMap<>();
                for (Map<String, Object> a : arrays) {
                    double[] v = new double[length(file, a, size)];
                    pos = FileChannels.readDoubles(file, ch, pos, v, crc);
                    data.put((String) a.get("name"), v);
                }
                Map<String, byte[]> sectionData = new LinkedHashMap<>();
                for (Map<String, Object> s : sections) {
                    byte[] v = new byte[length(file, s, size)];
                    pos = FileChannels.readBytes(file, ch, pos, v, crc);
                    sectionData.put((String) s.get("name"), v);
                }
                ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                FileChannels.readFully(file, ch, tail, pos);
                if (tail.getInt(0) != (int) crc.getValue()
                        || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail.array(), 4, 8), END)) {
                    throw new MalformedFileException(file, "checksum mismatch: the file is corrupted");
                }
                for (var e : data.entrySet()) {
                    requireFinite(file, e.getKey(), e.getValue());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> config = (Map<String, Object>) header.get("config");
                return new ModelContents((String) header.get("method"), ((Number) header.get("bits")).intValue(),
                        ((Number) header.get("input_dimension")).intValue(), config, data, sectionData);
            } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
                throw new MalformedFileException(file, "corrupted header: " + e.getMessage(), e);
            }
        }
    }

    /** The length an array or section entry of the header gives, checked against the file's size. */
    private static int length(Path file, Map<String, Object> entry, long fileSize) throws MalformedFileException {
        return Sizes.count(file, "length of '" + entry.get("name") + "'", ((Number) entry.get("length")).longValue(), fileSize);
    }

    private static void requireFinite(Path file, String name, double[] values) throws MalformedFileException {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new MalformedFileException(file, "array '" + name + "' holds " + values[i] + " at position " + i);
            }
        }
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

    /**
     * Reads a model file and checks that a loader on the class path takes its method, without building
     * the function (no deep-learning engine starts): what a coordinator needs (bits, input dimension)
     * before its workers load the model.
     */
    public static ModelContents readLoadable(Path file) throws IOException {
        ModelContents c = read(file);
        try {
            loaderFor(c.method());
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, e.getMessage(), e);
        }
        return c;
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
