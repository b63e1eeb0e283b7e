package org.deephash4j.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.InMemoryImageDataset;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** IDX image bytes: n images of rows x cols, pixel value (i + y + x) mod 256. */
    static byte[] images(int n, int rows, int cols) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x00000803);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    out.write((i + y + x) & 0xFF);
                }
            }
        }
        return b.toByteArray();
    }

    static byte[] labels(int... values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x00000801);
        out.writeInt(values.length);
        for (int v : values) {
            out.write(v);
        }
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
            out.write(raw);
        }
        return b.toByteArray();
    }

    /** Writes a small MNIST-style folder: {@code train} training and {@code test} test images of 4x5. */
    static Path mnistFolder(Path dir, int train, int test, boolean gzipped) throws IOException {
        int[] trainLabels = new int[train];
        int[] testLabels = new int[test];
        for (int i = 0; i < train; i++) {
            trainLabels[i] = i % 10;
        }
        for (int i = 0; i < test; i++) {
            testLabels[i] = (i * 3) % 10;
        }
        String gz = gzipped ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + gz), images(train, 4, 5), gzipped);
        write(dir.resolve("train-labels-idx1-ubyte" + gz), labels(trainLabels), gzipped);
        write(dir.resolve("t10k-images-idx3-ubyte" + gz), images(test, 4, 5), gzipped);
        write(dir.resolve("t10k-labels-idx1-ubyte" + gz), labels(testLabels), gzipped);
        return dir;
    }

    private static void write(Path p, byte[] raw, boolean gzipped) throws IOException {
        Files.write(p, gzipped ? gzip(raw) : raw);
    }

    @Test
    void readsRawAndGzipIdentically() throws IOException {
        Path raw = Files.createDirectory(dir.resolve("raw"));
        Path gz = Files.createDirectory(dir.resolve("gz"));
        BenchmarkImages a = IdxDatasetLoader.load("a", mnistFolder(raw, 30, 20, false), 10);
        BenchmarkImages b = IdxDatasetLoader.load("b", mnistFolder(gz, 30, 20, true), 10);
        assertEquals(50, a.images().size());
        assertEquals(30, a.trainSize());
        assertEquals(20, a.testSize());
        assertEquals("1x4x5", a.images().fixedShape().orElseThrow().toString());
        assertEquals(a.images().labels(), b.images().labels());
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(a.images().image(i).pixels(), b.images().image(i).pixels());
        }
        // test images follow training images; image 31 is test image 1 with label 3
        assertArrayEquals(new int[] {3}, a.images().labels().classesOf(31));
        assertEquals((1 + 2 + 3) & 0xFF, a.images().image(31).value(0, 2, 3));
    }

    @Test
    void pixelFeaturesAreScaledToUnitInterval() throws IOException {
        BenchmarkImages a = IdxDatasetLoader.load("a", mnistFolder(dir, 3, 2, false), 10);
        var f = a.images().pixelFeatures();
        assertEquals(5, f.rows());
        assertEquals(20, f.columns());
        assertEquals((2 + 1 + 4) / 255f, f.get(2, 1 * 5 + 4), 1e-7);
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path p = dir.resolve("x");
        Files.write(p, labels(1, 2, 3));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("not an IDX image file"), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        Path q = dir.resolve("y");
        Files.write(q, images(2, 2, 2));
        assertThrows(MalformedFileException.class, () -> IdxReader.readLabels(q, 10));
    }

    @Test
    void truncatedDataIsRefusedRawAndGzipped() throws IOException {
        byte[] full = images(10, 4, 4);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 3);
        Path p = dir.resolve("cut");
        Files.write(p, cut);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Files.write(p, gzip(cut));
        assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p));
        byte[] gz = gzip(full);
        Files.write(p, java.util.Arrays.copyOf(gz, gz.length - 10));
        assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p));
        Files.write(p, java.util.Arrays.copyOf(full, 9));
        e = assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] full = images(2, 2, 2);
        Path p = dir.resolve("long");
        Files.write(p, java.util.Arrays.copyOf(full, full.length + 1));
        assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p));
    }

    @Test
    void labelOutOfRangeIsRefused() throws IOException {
        Path p = dir.resolve("l");
        Files.write(p, labels(1, 12, 3));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.readLabels(p, 10));
        assertTrue(e.getMessage().contains("label 12 of item 1"), e.getMessage());
    }

    @Test
    void countMismatchBetweenImagesAndLabelsIsRefused() throws IOException {
        Path img = dir.resolve("i");
        Path lab = dir.resolve("l");
        Files.write(img, images(3, 2, 2));
        Files.write(lab, labels(1, 2));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.read("x", img, lab, 10));
        assertTrue(e.getMessage().contains("2 labels") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void missingFileInFolderIsNamed() throws IOException {
        mnistFolder(dir, 3, 2, false);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxDatasetLoader.load("m", dir, 10));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void concatKeepsOrder() throws IOException {
        InMemoryImageDataset a = IdxReader.read("a", write2(dir, "a", 2), write2L(dir, "a", 1, 2), 10);
        InMemoryImageDataset b = IdxReader.read("b", write2(dir, "b", 3), write2L(dir, "b", 3, 4, 5), 10);
        InMemoryImageDataset c = a.concat("c", b);
        assertEquals(5, c.size());
        assertArrayEquals(new int[] {3}, c.labels().classesOf(2));
        assertArrayEquals(b.image(0).pixels(), c.image(2).pixels());
    }

    private static Path write2(Path dir, String n, int count) throws IOException {
        return Files.write(dir.resolve(n + "-img"), images(count, 2, 2));
    }

    private static Path write2L(Path dir, String n, int... labels) throws IOException {
        return Files.write(dir.resolve(n + "-lab"), labels(labels));
    }
}
