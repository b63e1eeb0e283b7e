package org.deephash4j.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deephash4j.data.Image;
import org.deephash4j.data.InMemoryImageDataset;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir
    Path dir;

    /** A CIFAR-10 batch of {@code labels.length} records; pixel (c, y, x) of record r is (r + 7c + y + 2x) mod 256. */
    static byte[] cifar10Batch(int... labels) {
        byte[] b = new byte[labels.length * 3073];
        for (int r = 0; r < labels.length; r++) {
            int off = r * 3073;
            b[off] = (byte) labels[r];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        b[off + 1 + c * 1024 + y * 32 + x] = (byte) (r + 7 * c + y + 2 * x);
                    }
                }
            }
        }
        return b;
    }

    @Test
    void readsGeneratedCifar10BatchesInOrder() throws IOException {
        Path b1 = Files.write(dir.resolve("data_batch_1.bin"), cifar10Batch(3, 9, 0));
        Path b2 = Files.write(dir.resolve("data_batch_2.bin"), cifar10Batch(5));
        InMemoryImageDataset d = CifarReader.readCifar10("cifar10", List.of(b1, b2));
        assertEquals(4, d.size());
        assertEquals(10, d.labels().numClasses());
        assertArrayEquals(new int[] {9}, d.labels().classesOf(1));
        assertArrayEquals(new int[] {5}, d.labels().classesOf(3));
        Image img = d.image(1);
        assertEquals(3, img.shape().channels());
        assertEquals((1 + 7 * 2 + 4 + 2 * 5) & 0xFF, img.value(2, 4, 5));
        assertEquals((0 + 7 * 1 + 31 + 2 * 31) & 0xFF, d.image(3).value(1, 31, 31));
    }

    @Test
    void readsCifar100WithCoarseOrFineLabels() throws IOException {
        byte[] rec = new byte[2 * 3074];
        rec[0] = 4;
        rec[1] = 77;
        rec[3074] = 19;
        rec[3075] = 99;
        rec[2 + 5] = 42;
        Path f = Files.write(dir.resolve("train.bin"), rec);
        InMemoryImageDataset fine = CifarReader.readCifar100("c100", List.of(f), CifarReader.Cifar100Labels.FINE);
        InMemoryImageDataset coarse = CifarReader.readCifar100("c100", List.of(f), CifarReader.Cifar100Labels.COARSE);
        assertArrayEquals(new int[] {77}, fine.labels().classesOf(0));
        assertArrayEquals(new int[] {99}, fine.labels().classesOf(1));
        assertArrayEquals(new int[] {19}, coarse.labels().classesOf(1));
        assertEquals(20, coarse.labels().numClasses());
        assertEquals(42, fine.image(0).value(0, 0, 5));
    }

    @Test
    void truncatedBatchIsRefused() throws IOException {
        byte[] b = cifar10Batch(1, 2);
        Path f = Files.write(dir.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(b, b.length - 1));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CifarReader.readCifar10("c", List.of(f)));
        assertTrue(e.getMessage().contains("3073"), e.getMessage());
    }

    @Test
    void cifar100FileReadAsCifar10IsRefused() throws IOException {
        Path f = Files.write(dir.resolve("train.bin"), new byte[3074]);
        assertThrows(MalformedFileException.class, () -> CifarReader.readCifar10("c", List.of(f)));
    }

    @Test
    void labelOutOfRangeIsRefused() throws IOException {
        Path f = Files.write(dir.resolve("data_batch_1.bin"), cifar10Batch(1, 10));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CifarReader.readCifar10("c", List.of(f)));
        assertTrue(e.getMessage().contains("label 10 of record 1"), e.getMessage());
    }

    @Test
    void classNamesFromMetaFile() throws IOException {
        Path meta = Files.writeString(dir.resolve("batches.meta.txt"), "airplane\nautomobile\n\n");
        assertEquals(List.of("airplane", "automobile"), CifarReader.readClassNames(meta));
    }
}
