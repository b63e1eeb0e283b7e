package org.deephash4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deephash4j.data.io.ImageDecoder;
import org.deephash4j.io.MalformedFileException;

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
