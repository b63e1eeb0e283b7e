package org.deephash4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.codes.CodeFile;
import org.deephash4j.codes.CodesNpy;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.classic.Itq;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.index.MultiIndexHashing;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.io.NpyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated corruptions of every file kind the CLI reads, each given to the command that reads it: files
 * truncated at every header boundary, bytes flipped, and sizes crafted with valid checksums. Every one
 * must end with exit code 3 and a message naming the file (a flipped data byte of an unchecksummed
 * format may also give a valid file: exit 0), never with an internal error or an OutOfMemoryError. This
 * class runs in its own JVM with a 256 MiB heap (see the module's pom), where a reader that allocates
 * what a crafted header claims fails.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileInputFuzzTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final Random random = new Random(2026);

    /** A mutated copy of a file and what it is, for messages. */
    private record Mutant(String what, byte[] bytes, boolean mayStayValid) {
    }

    /** Runs {@code command} on each mutant written to {@code file}; checks exit code and message. */
    private void attack(Path file, List<Mutant> mutants, Function<Path, String[]> command) throws IOException {
        assertTrue(mutants.size() > 5);
        for (Mutant m : mutants) {
            Files.write(file, m.bytes());
            console.reset();
            int code;
            try {
                code = Main.execute(command.apply(file));
            } catch (OutOfMemoryError e) {
                throw new AssertionError(file.getFileName() + ", " + m.what() + ": out of memory", e);
            }
            String message = console.err();
            if (code == 0 && m.mayStayValid()) {
                continue;
            }
            assertEquals(Main.EXIT_BAD_INPUT, code, file.getFileName() + ", " + m.what() + ": " + message);
            assertTrue(message.contains(file.toString()), m.what() + ": the message names the file: " + message);
            assertTrue(!message.contains("internal error") && !message.contains("\tat "), m.what() + ": " + message);
        }
    }

    /** Truncations at every boundary, flipped bytes and, from {@code crafted}, sizes with valid checksums. */
    private List<Mutant> mutants(byte[] valid, int[] boundaries, boolean checksummed, List<Mutant> crafted) {
        List<Mutant> out = new ArrayList<>(crafted);
        for (int b : boundaries) {
            for (int cut : new int[] {b - 1, b, b + 1}) {
                if (cut >= 0 && cut < valid.length) {
                    out.add(new Mutant("truncated at " + cut, java.util.Arrays.copyOf(valid, cut), false));
                }
            }
        }
        out.add(new Mutant("empty", new byte[0], false));
        out.add(new Mutant("one byte short", java.util.Arrays.copyOf(valid, valid.length - 1), false));
        out.add(new Mutant("one byte more", java.util.Arrays.copyOf(valid, valid.length + 1), false));
        for (int i = 0; i < 24; i++) {
            byte[] b = valid.clone();
            int at = i < 8 ? random.nextInt(Math.min(64, b.length)) : random.nextInt(b.length);
            b[at] ^= (byte) (1 + random.nextInt(255));
            out.add(new Mutant("byte " + at + " flipped", b, !checksummed));
        }
        return out;
    }

    /** {@code bytes} with the little-endian {@code value} of {@code width} bytes at {@code offset}, CRC32C re-sealed. */
    private static Mutant crafted(String what, byte[] valid, int offset, long value, int width) {
        byte[] b = valid.clone();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            buf.putInt(offset, (int) value);
        } else {
            buf.putLong(offset, value);
        }
        return new Mutant(what, reseal(b), false);
    }

    /** deephash4j's formats end with CRC32C(bytes 8 .. end-8) and a 4-byte marker. */
    private static byte[] reseal(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 8, b.length - 16);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 8, (int) crc.getValue());
        return b;
    }

    private static BinaryCodes codes(int n, int bits, long seed) {
        Random r = new Random(seed);
        byte[] packed = new byte[n * bits / 8];
        r.nextBytes(packed);
        return BinaryCodes.fromPackedBytes(packed, bits, BitOrder.BIG, null);
    }

    private Path labels(int n) throws IOException {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % 3;
        }
        Path p = tmp.resolve("labels.npy");
        Npy.write(p, NpyArray.ofLongs(l, n));
        return p;
    }

    private String[] eval(Path queryCodes, Path databaseCodes, Path queryLabels, Path databaseLabels) {
        return new String[] {"eval", "--query-codes", queryCodes.toString(), "--database-codes", databaseCodes.toString(),
            "--query-labels", queryLabels.toString(), "--database-labels", databaseLabels.toString(), "-o",
            tmp.resolve("report").toString()};
    }

    @Test
    void codeFiles() throws IOException {
        Path good = tmp.resolve("good.dhc");
        CodeFile.write(good, codes(40, 72, 1));
        byte[] valid = Files.readAllBytes(good);
        List<Mutant> crafted = List.of(
                crafted("count 2^31-1", valid, 16, Integer.MAX_VALUE, 8),
                crafted("count 2^40", valid, 16, 1L << 40, 8),
                crafted("count -1", valid, 16, -1, 8),
                crafted("bits 0", valid, 12, 0, 4),
                crafted("bits 12", valid, 12, 12, 4),
                crafted("id -1", valid, 32, -1, 8),
                crafted("padding bits set", valid, 32 + 40 * 8 + 8, 0xFF00L, 8));
        Path labels = labels(40);
        Path target = tmp.resolve("codes.dhc");
        attack(target, mutants(valid, new int[] {8, 12, 16, 24, 32, valid.length - 8, valid.length - 4}, true, crafted),
                f -> eval(f, good, labels, labels));
        assertEquals(0, Main.execute(eval(good, good, labels, labels)), "the valid file is read");
    }

    @Test
    void packedNpyCodesAndLabels() throws IOException {
        Path good = tmp.resolve("good.npy");
        CodesNpy.writePacked(good, codes(40, 64, 2), BitOrder.BIG);
        byte[] valid = Files.readAllBytes(good);
        String header = new String(valid, 10, valid.length - 10 - 40 * 8, StandardCharsets.ISO_8859_1);
        List<Mutant> crafted = new ArrayList<>();
        for (String shape : new String[] {"(2147483647, 8)", "(40, 2147483647)", "(40, 8, 8)", "(-40, 8)", "(40,)", "(40 8)"}) {
            crafted.add(new Mutant("shape " + shape, npy(header.replaceFirst("\\(40, 8\\)", shape), valid, 40 * 8), false));
        }
        crafted.add(new Mutant("duplicate key", npy(header.replaceFirst("'shape'", "'descr': '|u1', 'shape'"), valid, 320), false));
        crafted.add(new Mutant("float codes", npy(header.replace("|u1", "<f4"), valid, 320), false));
        Path labels = labels(40);
        Path target = tmp.resolve("codes.npy");
        attack(target, mutants(valid, new int[] {6, 8, 10, 20, valid.length - 320}, false, crafted), f -> eval(f, good, labels, labels));

        byte[] validLabels = Files.readAllBytes(labels);
        String labelHeader = new String(validLabels, 10, validLabels.length - 10 - 40 * 8, StandardCharsets.ISO_8859_1);
        List<Mutant> craftedLabels = new ArrayList<>();
        for (long bad : new long[] {100_000_000L, 1L << 30, -1, Long.MAX_VALUE}) {
            byte[] b = validLabels.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(b.length - 8, bad);
            craftedLabels.add(new Mutant("class index " + bad, b, false));
        }
        craftedLabels.add(new Mutant("fortran decoy", npy(labelHeader.replace("'fortran_order': False",
                "'fortran_order': False, 'fortran_order': True"), validLabels, 320), false));
        Path labelTarget = tmp.resolve("bad-labels.npy");
        attack(labelTarget, mutants(validLabels, new int[] {6, 8, 10}, false, craftedLabels), f -> eval(good, good, f, labels));
    }

    /** A .npy file with another header text (re-padded) before the last {@code dataBytes} of {@code valid}. */
    private static byte[] npy(String header, byte[] valid, int dataBytes) {
        String text = header.strip();
        int padded = (10 + text.length() + 1 + 63) / 64 * 64;
        text = text + " ".repeat(padded - 10 - text.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(valid, 0, 8).putShort((short) text.length()).put(text.getBytes(StandardCharsets.ISO_8859_1));
        b.put(valid, valid.length - dataBytes, dataBytes);
        return b.array();
    }

    @Test
    void indexFiles() throws IOException {
        BinaryCodes c = codes(60, 16, 3);
        Path queries = tmp.resolve("q.dhc");
        CodeFile.write(queries, c);
        for (boolean mih : new boolean[] {false, true}) {
            Path good = tmp.resolve("good.dhi");
            if (mih) {
                MultiIndexHashing index = new MultiIndexHashing(16, 2);
                index.add(c);
                IndexFile.save(good, index);
            } else {
                FlatIndex index = new FlatIndex(16);
                index.add(c.withIds(java.util.stream.LongStream.range(0, 60).map(i -> 3 * i).toArray()));
                IndexFile.save(good, index);
            }
            byte[] valid = Files.readAllBytes(good);
            List<Mutant> crafted = new ArrayList<>(List.of(
                    crafted("count 2^31-1", valid, 24, Integer.MAX_VALUE, 8),
                    crafted("count -1", valid, 24, -1, 8),
                    crafted("type 7", valid, 12, 7, 4),
                    crafted("bits 1000000", valid, 16, 1_000_000, 4),
                    crafted("id layout 9", valid, 32, 9, 8),
                    crafted("substrings 17", valid, 20, 17, 4),
                    crafted("substrings -1", valid, 20, -1, 4),
                    crafted("padding bits set", valid, valid.length - 16, 0xFFFF_FFFF_0000_0000L, 8)));
            if (mih) {
                crafted.add(crafted("base id wraps past 2^63", valid, 40, Long.MAX_VALUE - 5, 8));
                crafted.add(crafted("base id -1", valid, 40, -1, 8));
            } else {
                crafted.add(crafted("first id -1", valid, 48, -1, 8));
            }
            Path target = tmp.resolve(mih ? "mih.dhi" : "flat.dhi");
            attack(target, mutants(valid, new int[] {8, 12, 16, 20, 24, 32, 40, 48, valid.length - 8}, true, crafted),
                    f -> new String[] {"search", "--index", f.toString(), "--queries", queries.toString(), "-k", "5", "-o",
                        tmp.resolve("r.csv").toString()});
        }
    }

    @Test
    void modelFilesAndFeatureMatrices() throws IOException {
        Random r = new Random(4);
        float[] x = new float[200 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Path features = tmp.resolve("features.npy");
        Npy.write(features, NpyArray.ofFloats(x, 200, 12));
        Path good = tmp.resolve("good.dhm");
        HashModels.save(good, new Itq().fit(new FeatureMatrix(200, 12, x), 8, 0), java.util.Map.of());
        byte[] valid = Files.readAllBytes(good);
        int headerLength = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        String json = new String(valid, 16, headerLength, StandardCharsets.UTF_8);
        List<Mutant> crafted = new ArrayList<>(List.of(
                crafted("header length 2^31-1", valid, 12, Integer.MAX_VALUE, 4),
                crafted("header length -1", valid, 12, -1, 4),
                crafted("version 9", valid, 8, 9, 4),
                crafted("a NaN weight", valid, 16 + headerLength, Double.doubleToRawLongBits(Double.NaN), 8)));
        String firstLength = json.replaceFirst("(?s).*?\"length\":(\\d+).*", "$1");
        for (String bad : new String[] {"2147483647", "-5", "99999999999", "\"x\""}) {
            String other = json.replaceFirst("\"length\":" + firstLength, "\"length\":" + bad);
            crafted.add(new Mutant("array length " + bad, model(valid, headerLength, other), false));
        }
        crafted.add(new Mutant("unknown method", model(valid, headerLength, json.replaceFirst("\"method\":\"[a-z]+\"",
                "\"method\":\"nope\"")), false));
        Path target = tmp.resolve("model.dhm");
        attack(target, mutants(valid, new int[] {8, 12, 16, 16 + headerLength, valid.length - 8}, true, crafted),
                f -> new String[] {"encode", "--model", f.toString(), "-d", features.toString(), "-o", tmp.resolve("c.dhc").toString()});

        byte[] validFeatures = Files.readAllBytes(features);
        String header = new String(validFeatures, 10, validFeatures.length - 10 - x.length * 4, StandardCharsets.ISO_8859_1);
        List<Mutant> craftedFeatures = new ArrayList<>();
        for (String shape : new String[] {"(2147483647, 2147483647)", "(200, 12, 1)", "(12, 200)", "(0, 12)"}) {
            craftedFeatures.add(new Mutant("shape " + shape, npy(header.replace("(200, 12)", shape), validFeatures, x.length * 4),
                    shape.equals("(12, 200)")));
        }
        byte[] nan = validFeatures.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(nan.length - 4, Float.NaN);
        craftedFeatures.add(new Mutant("a NaN feature", nan, false));
        Path featureTarget = tmp.resolve("bad-features.npy");
        attack(featureTarget, mutants(validFeatures, new int[] {6, 8, 10}, false, craftedFeatures),
                f -> new String[] {"encode", "--model", good.toString(), "-d", f.toString(), "-o", tmp.resolve("c.dhc").toString()});
    }

    /** The model file {@code valid} with another header JSON, length and checksum fixed. */
    private static byte[] model(byte[] valid, int headerLength, String json) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(valid.length - headerLength + j.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(valid, 0, 12).putInt(j.length).put(j).put(valid, 16 + headerLength, valid.length - 16 - headerLength);
        return reseal(b.array());
    }

    @Test
    void idxFolders() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("idx"));
        byte[] images = idx(0x803, new int[] {30, 4, 4}, 30 * 16);
        byte[] labels = idx(0x801, new int[] {30}, 30);
        byte[] testImages = idx(0x803, new int[] {10, 4, 4}, 10 * 16);
        byte[] testLabels = idx(0x801, new int[] {10}, 10);
        Files.write(dir.resolve("train-images-idx3-ubyte"), images);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), testImages);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), testLabels);
        Path model = tmp.resolve("lsh.dhm");
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        assertEquals(0, Main.execute("fit", "-m", "lsh", "-b", "8", "-d", dir.toString(), "-o", model.toString()),
                console.err());
        List<Mutant> craftedLabels = List.of(
                new Mutant("label count 2^31-1", withInt(labels, 4, Integer.MAX_VALUE), false),
                new Mutant("label count -1", withInt(labels, 4, -1), false),
                new Mutant("label 200", withByte(labels, 8 + 3, 200), false));
        Function<Path, String[]> encode = f -> new String[] {"encode", "--model", model.toString(), "-d", dir.toString(), "-o",
            tmp.resolve("c.dhc").toString()};
        attack(dir.resolve("train-labels-idx1-ubyte"), mutants(labels, new int[] {4, 8}, false, craftedLabels), encode);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        List<Mutant> craftedImages = List.of(
                new Mutant("2e9 pixels", withInt(images, 4, 2_000_000_000 / 16), false),
                new Mutant("image count 2^31-1", withInt(images, 4, Integer.MAX_VALUE), false),
                new Mutant("rows 2^30", withInt(images, 8, 1 << 30), false),
                new Mutant("magic", withInt(images, 0, 0x802), false));
        attack(dir.resolve("train-images-idx3-ubyte"), mutants(images, new int[] {4, 8, 12, 16}, false, craftedImages), encode);
    }

    private static byte[] idx(int magic, int[] dims, int bodyBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + bodyBytes);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < bodyBytes; i++) {
            b.put((byte) (magic == 0x801 ? i % 3 : i * 7));
        }
        return b.array();
    }

    private static byte[] withInt(byte[] valid, int offset, int value) {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).putInt(offset, value);
        return b;
    }

    private static byte[] withByte(byte[] valid, int offset, int value) {
        byte[] b = valid.clone();
        b[offset] = (byte) value;
        return b;
    }
}
