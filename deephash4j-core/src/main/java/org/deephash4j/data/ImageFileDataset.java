package org.deephash4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

    /** A file that could not be decoded, and why. */
    public record Skipped(Path file, String reason) {
    }

    /**
     * Every image decoded (in parallel, with progress) into one in-memory data set. A file that cannot be
     * decoded (corrupt, truncated, empty, not an image, too large) is left out and listed in
     * {@code skipped}, in file order, unless {@code strict}, which refuses it. The kept images keep their
     * order, so positions are those of the files that decoded.
     *
     * @throws IllegalStateException when the data set has no fixed shape
     */
    public InMemoryImageDataset decodeAll(boolean strict, List<Skipped> skipped, ProgressListener progress) throws IOException {
        ImageShape shape = fixedShape().orElseThrow(() -> new IllegalStateException(name + ": give a shape to decode to"));
        int n = size();
        int d = shape.pixels();
        byte[] pixels = new byte[Math.multiplyExact(n, d)];
        MalformedFileException[] failures = new MalformedFileException[n];
        java.util.concurrent.atomic.AtomicReference<IOException> firstIo = new java.util.concurrent.atomic.AtomicReference<>();
        progress.start("decoding " + n + " images of " + name, n);
        try {
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
                try {
                    System.arraycopy(image(i).pixels(), 0, pixels, i * d, d);
                } catch (MalformedFileException e) {
                    failures[i] = e;
                } catch (IOException e) {
                    firstIo.compareAndSet(null, e);
                }
                progress.advance(1);
            });
        } finally {
            progress.finish();
        }
        if (firstIo.get() != null) {
            throw firstIo.get();
        }
        int[] kept = java.util.stream.IntStream.range(0, n).filter(i -> failures[i] == null).toArray();
        if (kept.length == n) {
            return new InMemoryImageDataset(name, shape, pixels, labels);
        }
        for (int i = 0; i < n; i++) {
            if (failures[i] != null) {
                if (strict) {
                    throw new MalformedFileException(files.get(i), failures[i].problem() + " (--strict: unreadable images are refused)");
                }
                skipped.add(new Skipped(files.get(i), failures[i].getMessage()));
            }
        }
        if (kept.length == 0) {
            throw new MalformedFileException(files.get(0).getParent(), "none of the " + n + " images could be decoded; the first: "
                    + failures[0].getMessage());
        }
        byte[] keptPixels = new byte[Math.multiplyExact(kept.length, d)];
        for (int k = 0; k < kept.length; k++) {
            System.arraycopy(pixels, kept[k] * d, keptPixels, k * d, d);
        }
        return new InMemoryImageDataset(name, shape, keptPixels, labels.subset(kept));
    }

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
