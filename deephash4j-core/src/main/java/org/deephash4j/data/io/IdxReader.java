package org.deephash4j.data.io;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipException;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.InMemoryImageDataset;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.CompressedFiles;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Sizes;

/**
 * Reads IDX files (MNIST, Fashion-MNIST): unsigned-byte images ({@code 0x00000803}) and labels
 * ({@code 0x00000801}), raw or gzip-compressed (told apart by the gzip magic, not the file name).
 * Checks the magic, that the data length matches the header exactly, that image and label counts
 * agree and that labels are in range.
 */
public final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Reads an image file and its label file into one data set with {@code numClasses} classes. */
    public static InMemoryImageDataset read(String name, Path images, Path labels, int numClasses) throws IOException {
        Images img = readImages(images);
        int[] lab = readLabels(labels, numClasses);
        if (lab.length != img.count()) {
            throw new MalformedFileException(labels, lab.length + " labels, but " + images.getFileName() + " has "
                    + img.count() + " images");
        }
        return new InMemoryImageDataset(name, img.shape(), img.pixels(), MultiHotLabels.ofClasses(lab, numClasses));
    }

    /** Images of an IDX file: count, shape (one grey channel) and pixels. */
    public record Images(int count, ImageShape shape, byte[] pixels) {
    }

    /** Reads an IDX image file ({@code n x rows x columns} unsigned bytes). */
    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(file, in, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new MalformedFileException(file, String.format(
                        "not an IDX image file (magic 0x%08X, expected 0x%08X)", magic, IMAGES_MAGIC));
            }
            int n = readHeaderInt(file, in, "image count");
            int rows = readHeaderInt(file, in, "row count");
            int cols = readHeaderInt(file, in, "column count");
            if (n < 0 || rows <= 0 || cols <= 0) {
                throw new MalformedFileException(file, "implausible dimensions " + n + " x " + rows + " x " + cols);
            }
            long pixelCount = Sizes.product(file, "pixel count", Sizes.product(file, "pixel count", n, rows), cols);
            byte[] pixels = readBody(file, in, Sizes.arrayLength(file, "pixels", pixelCount));
            return new Images(n, new ImageShape(1, rows, cols), pixels);
        }
    }

    /** Reads an IDX label file, checking every label is in {@code [0, numClasses)}. */
    public static int[] readLabels(Path file, int numClasses) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(file, in, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new MalformedFileException(file, String.format(
                        "not an IDX label file (magic 0x%08X, expected 0x%08X)", magic, LABELS_MAGIC));
            }
            int n = readHeaderInt(file, in, "label count");
            if (n < 0) {
                throw new MalformedFileException(file, "negative label count " + n);
            }
            byte[] raw = readBody(file, in, n);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i] & 0xFF;
                if (labels[i] >= numClasses) {
                    throw new MalformedFileException(file, "label " + labels[i] + " of item " + i + " is outside [0, "
                            + numClasses + ")");
                }
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(CompressedFiles.open(file));
    }

    private static int readHeaderInt(Path file, DataInputStream in, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new MalformedFileException(file, "truncated header (no " + what + ")");
        } catch (ZipException e) {
            throw new MalformedFileException(file, "corrupt gzip data: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code length} data bytes the header promises, read in chunks so that memory follows the bytes
     * really present: a header that lies about its count costs nothing before it is refused.
     */
    private static byte[] readBody(Path file, DataInputStream in, int length) throws IOException {
        byte[] body;
        try {
            body = in.readNBytes(length);
            if (body.length == length && in.read() != -1) {
                throw new MalformedFileException(file, "more data than the header's " + length + " bytes");
            }
        } catch (ZipException | EOFException e) {
            throw new MalformedFileException(file, "corrupt or truncated gzip data: " + e.getMessage(), e);
        }
        if (body.length < length) {
            throw new MalformedFileException(file, "truncated: the header promises " + length + " data bytes, found "
                    + body.length);
        }
        return body;
    }
}
