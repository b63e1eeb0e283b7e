package org.deephash4j.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.InMemoryImageDataset;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.MalformedFileException;

/**
 * Reads the CIFAR binary batches: CIFAR-10 records of 1 label byte + 3,072 pixel bytes (red, green,
 * blue planes of a 32x32 image, row-major), and CIFAR-100 records with a coarse and a fine label
 * byte before the pixels. Several batch files are concatenated in the order given.
 */
public final class CifarReader {

    /** Shape of every CIFAR image. */
    public static final ImageShape SHAPE = new ImageShape(3, 32, 32);

    /** Which CIFAR-100 label to use. */
    public enum Cifar100Labels { COARSE, FINE }

    private CifarReader() {
    }

    /** Reads CIFAR-10 batch files ({@code data_batch_1.bin} ... or {@code test_batch.bin}). */
    public static InMemoryImageDataset readCifar10(String name, List<Path> batches) throws IOException {
        return read(name, batches, 1, 0, 10);
    }

    /** Reads CIFAR-100 files ({@code train.bin}, {@code test.bin}) with coarse (20) or fine (100) labels. */
    public static InMemoryImageDataset readCifar100(String name, List<Path> files, Cifar100Labels which) throws IOException {
        return which == Cifar100Labels.COARSE ? read(name, files, 2, 0, 20) : read(name, files, 2, 1, 100);
    }

    /** Class names from a {@code batches.meta.txt} file, one per non-blank line. */
    public static List<String> readClassNames(Path metaFile) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(metaFile)) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        return names;
    }

    private static InMemoryImageDataset read(String name, List<Path> files, int labelBytes, int labelIndex,
            int numClasses) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no CIFAR batch files given");
        }
        int record = labelBytes + SHAPE.pixels();
        long total = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (size == 0 || size % record != 0) {
                throw new MalformedFileException(f, "size " + size + " is not a positive multiple of the " + record
                        + "-byte record of CIFAR-" + (labelBytes == 1 ? "10" : "100")
                        + " (truncated, or the other CIFAR format?)");
            }
            total += size / record;
        }
        if (total * SHAPE.pixels() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many CIFAR images for one array: " + total);
        }
        byte[] pixels = new byte[(int) total * SHAPE.pixels()];
        int[] labels = new int[(int) total];
        int item = 0;
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            for (int off = 0; off < bytes.length; off += record, item++) {
                int label = bytes[off + labelIndex] & 0xFF;
                if (label >= numClasses) {
                    throw new MalformedFileException(f, "label " + label + " of record " + off / record + " is outside [0, "
                            + numClasses + ")");
                }
                labels[item] = label;
                System.arraycopy(bytes, off + labelBytes, pixels, item * SHAPE.pixels(), SHAPE.pixels());
            }
        }
        return new InMemoryImageDataset(name, SHAPE, pixels, MultiHotLabels.ofClasses(labels, numClasses));
    }
}
