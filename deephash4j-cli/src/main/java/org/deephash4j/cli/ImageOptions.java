package org.deephash4j.cli;

import org.deephash4j.data.ImageShape;
import picocli.CommandLine.Option;

/** How image files are read: the shape they are decoded to and what happens to an unreadable one (a picocli mixin). */
final class ImageOptions {

    @Option(names = "--shape", paramLabel = "CxHxW",
            description = "Image files: the shape they are decoded to (default: 3x64x64; emoji: 3x32x32). A .npy matrix: the "
                + "shape of each row's image, so that image backbones and augmentation can use it.")
    String shape;

    @Option(names = "--strict", description = "Refuse an image file that cannot be decoded instead of skipping and listing it.")
    boolean strict;

    /** The shape given, or {@code null}. */
    ImageShape shape() {
        return shape == null ? null : ImageShape.parse(shape);
    }

}
