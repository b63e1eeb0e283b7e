package org.deephash4j.server.encode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.Image;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.io.ImageDecoder;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.io.MalformedFileException;

/**
 * A model the service encodes uploaded images with: checks that an upload is an image by its
 * content, decodes it within a pixel bound to the model's input shape (and a thumbnail), and encodes
 * it. Models are not known to be safe for concurrent use, so encoding is serialised per model.
 */
public final class ImageEncoder {

    /** Thumbnails are stored and served at this size. */
    public static final ImageShape THUMBNAIL = new ImageShape(3, 128, 128);

    private final String name;
    private final HashFunction function;
    private final ImageShape shape;
    private final long maxPixels;
    private final Path scratch;

    /**
     * @param shape the images' input shape, or {@code null} to infer a square one from the model's input
     *     dimension (3 x s x s, else 1 x s x s)
     * @param maxPixels the most pixels an upload's header may declare
     * @param scratch a folder for uploads while they are decoded
     */
    public ImageEncoder(String name, HashFunction function, ImageShape shape, long maxPixels, Path scratch) {
        this.name = name;
        this.function = function;
        this.shape = shape != null ? shape : ImageShape.squareFor(function.inputDimension());
        if (this.shape.pixels() != function.inputDimension()) {
            throw new IllegalArgumentException("model '" + name + "' takes " + function.inputDimension() + " values, images of shape "
                    + this.shape + " have " + this.shape.pixels());
        }
        this.maxPixels = maxPixels;
        this.scratch = scratch;
    }

    public String name() {
        return name;
    }

    public HashFunction function() {
        return function;
    }

    public ImageShape shape() {
        return shape;
    }

    /** An upload decoded: the model's input and a JPEG thumbnail. */
    public record Decoded(Image input, byte[] thumbnail) {
    }

    /**
     * Decodes an uploaded file. Refuses ({@link IllegalArgumentException}) content that is no known
     * image format, and ({@link MalformedFileException}, without the scratch file's name in
     * {@link MalformedFileException#problem()}) a corrupt image or one larger than the pixel bound.
     */
    public Decoded decode(byte[] upload) throws IOException {
        if (ImageKind.sniff(upload).isEmpty()) {
            throw new IllegalArgumentException("not an image: the content is none of PNG, JPEG, GIF, BMP, WebP");
        }
        Path file = Files.createTempFile(scratch, "upload-", ".img");
        try {
            Files.write(file, upload);
            Image input = ImageDecoder.decode(file, shape, maxPixels);
            Image thumb = ImageDecoder.decode(file, THUMBNAIL, maxPixels);
            return new Decoded(input, jpeg(thumb));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Codes of {@code images} (each of the model's shape) under {@code ids}. */
    public BinaryCodes encode(List<Image> images, long[] ids) {
        int d = shape.pixels();
        float[] values = new float[images.size() * d];
        for (int i = 0; i < images.size(); i++) {
            FeatureMatrix.scalePixels(images.get(i).pixels(), 0, values, i * d, d);
        }
        synchronized (this) {
            return function.encode(new FeatureMatrix(images.size(), d, values), ids);
        }
    }

    private static byte[] jpeg(Image img) throws IOException {
        ImageShape s = img.shape();
        BufferedImage out = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                int r = img.value(0, y, x);
                int g = s.channels() == 3 ? img.value(1, y, x) : r;
                int b = s.channels() == 3 ? img.value(2, y, x) : r;
                out.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "jpg", bytes);
        return bytes.toByteArray();
    }
}
