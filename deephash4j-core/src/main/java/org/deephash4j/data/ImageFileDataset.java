package org.deephash4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.deephash4j.data.io.ImageDecoder;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.util.ProgressListener;

/**
 * Images stored as files, decoded on demand by {@link ImageDecoder} (EXIF orientation, alpha on
 * white, area resize). Grey images stay one channel, everything else becomes RGB. With a target shape,
 * every image is resized and converted to that shape, which gives the data set a fixed shape.
 */
public final class ImageFileDataset implements ImageDataset {

    private final String name;
    private final List<Path> files;
    private final MultiHotLabels labels;
    private final ImageShape targetShape;

    /** {@code files.get(i)} is image {@code i}; {@code targetShape} may be {@code null} to keep each image as it is. */
    public ImageFileDataset(String name, List<Path> files, MultiHotLabels labels, ImageShape targetShape) {
        if (files.size() != labels.size()) {
            throw new IllegalArgumentException(name + ": " + files.size() + " files but " + labels.size() + " labels");
        }
        this.name = name;
        this.files = List.copyOf(files);
        this.labels = labels;
        this.targetShape = targetShape;
    }

    /** The same images, resized to {@code shape} when decoded. */
    public ImageFileDataset resizedTo(ImageShape shape) {
        return new ImageFileDataset(name, files, labels, shape);
    }

    /** The shape image files are decoded to when the user gives none: RGB, 64 x 64. */
    public static final ImageShape DEFAULT_SHAPE = new ImageShape(3, 64, 64);

    /** Image {@code position} (file {@code file}) could not be decoded, and why. */
    public record Skipped(int position, Path file, String reason) {
    }

    /** Receives one batch of decoded images from {@link #decodeInBatches}. */
    @FunctionalInterface
    public interface BatchConsumer {
        /**
         * Images {@code first} .. {@code first + count - 1}: image {@code first + i} is in {@code pixels} at
         * {@code i * shape.pixels()} when {@code decoded[i]}; the arrays are reused for the next batch.
         */
        void accept(int first, int count, byte[] pixels, boolean[] decoded) throws IOException;
    }

    /**
     * Decodes the images in order, {@code batchSize} at a time (each batch in parallel), handing every
     * batch to {@code consumer}: memory stays at one batch of pixels whatever the number of files. A
     * file that cannot be decoded (corrupt, truncated, empty, not an image, too large) is listed in
     * {@code skipped} and marked not decoded, unless {@code strict}, which refuses it.
     *
     * @return the number of images decoded
     * @throws IllegalStateException when the data set has no fixed shape
     * @throws MalformedFileException under {@code strict} for the first unreadable file, or when no file decodes
     */
    public int decodeInBatches(int batchSize, boolean strict, List<Skipped> skipped, ProgressListener progress,
            BatchConsumer consumer) throws IOException {
        ImageShape shape = fixedShape().orElseThrow(() -> new IllegalStateException(name + ": give a shape to decode to"));
        int n = size();
        int d = shape.pixels();
        int batch = Math.max(1, Math.min(batchSize, n));
        byte[] pixels = new byte[Math.multiplyExact(batch, d)];
        boolean[] decoded = new boolean[batch];
        MalformedFileException[] failures = new MalformedFileException[batch];
        AtomicReference<IOException> firstIo = new AtomicReference<>();
        int kept = 0;
        MalformedFileException firstFailure = null;
        progress.start("decoding " + n + " images of " + name, n);
        try {
            for (int first = 0; first < n; first += batch) {
                int count = Math.min(batch, n - first);
                int base = first;
                Arrays.fill(failures, null);
                IntStream.range(0, count).parallel().forEach(i -> {
                    try {
                        System.arraycopy(image(base + i).pixels(), 0, pixels, i * d, d);
                    } catch (MalformedFileException e) {
                        failures[i] = e;
                    } catch (IOException e) {
                        firstIo.compareAndSet(null, e);
                    }
                    progress.advance(1);
                });
                if (firstIo.get() != null) {
                    throw firstIo.get();
                }
                for (int i = 0; i < count; i++) {
                    decoded[i] = failures[i] == null;
                    if (decoded[i]) {
                        kept++;
                        continue;
                    }
                    if (strict) {
                        throw new MalformedFileException(files.get(base + i), failures[i].problem()
                                + " (--strict: unreadable images are refused)");
                    }
                    firstFailure = firstFailure == null ? failures[i] : firstFailure;
                    skipped.add(new Skipped(base + i, files.get(base + i), failures[i].getMessage()));
                }
                consumer.accept(first, count, pixels, decoded);
            }
        } finally {
            progress.finish();
        }
        if (kept == 0 && n > 0) {
            throw new MalformedFileException(files.get(0).getParent(), "none of the " + n + " images could be decoded; the first: "
                    + firstFailure.getMessage());
        }
        return kept;
    }

    /**
     * Every image decoded into one in-memory data set, positions unchanged: an image that could not be
     * decoded keeps its position with blank pixels and is listed in {@code skipped} (callers leave
     * those positions out), unless {@code strict}, which refuses it. See {@link #decodeInBatches}.
     */
    public InMemoryImageDataset decodeAll(boolean strict, List<Skipped> skipped, ProgressListener progress) throws IOException {
        int d = fixedShape().map(ImageShape::pixels).orElse(1);
        byte[] all = new byte[Math.multiplyExact(size(), d)];
        decodeInBatches(DECODE_ALL_BATCH, strict, skipped, progress, (first, count, pixels, decoded) -> {
            for (int i = 0; i < count; i++) {
                if (decoded[i]) {
                    System.arraycopy(pixels, i * d, all, (first + i) * d, d);
                }
            }
        });
        return new InMemoryImageDataset(name, fixedShape().orElseThrow(), all, labels);
    }

    /** Images per parallel batch when decoding everything into memory. */
    private static final int DECODE_ALL_BATCH = 4096;

    /** The file of image {@code i}. */
    public Path file(int i) {
        return files.get(i);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public MultiHotLabels labels() {
        return labels;
    }

    @Override
    public Optional<ImageShape> fixedShape() {
        return Optional.ofNullable(targetShape);
    }

    @Override
    public Image image(int i) throws IOException {
        Path file = files.get(i);
        if (!Files.isRegularFile(file)) {
            throw new MalformedFileException(file, "image file is missing");
        }
        return ImageDecoder.decode(file, targetShape);
    }
}
