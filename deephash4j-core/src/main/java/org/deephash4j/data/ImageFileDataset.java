package org.deephash4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.deephash4j.io.MalformedFileException;

/**
 * Images stored as files (JPEG, PNG, or anything else ImageIO decodes), decoded on demand. Grey
 * images stay one channel, everything else becomes RGB. With a target shape, every image is resized
 * (bilinear) and converted to that shape, which gives the data set a fixed shape.
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
        return toImage(decode(file, targetShape != null));
    }

    /** The most pixels one image is decoded to: 16.7 million, 64 MiB as 32-bit pixels. */
    static final long MAX_DECODED_PIXELS = 1L << 24;

    /**
     * Decodes {@code file}, reading its dimensions first: a larger image is decoded every s-th pixel in
     * each direction (the smallest s that fits {@link #MAX_DECODED_PIXELS}) when it is to be resized
     * anyway, and refused otherwise, so that no image costs more memory than that bound.
     */
    static BufferedImage decode(Path file, boolean resized) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            java.util.Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new MalformedFileException(file, "not a readable image (unknown or corrupt format)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new MalformedFileException(file, "image of " + w + " x " + h + " pixels");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                if (w * h > MAX_DECODED_PIXELS) {
                    if (!resized) {
                        throw new MalformedFileException(file, w + " x " + h + " pixels is more than the " + MAX_DECODED_PIXELS
                                + " decoded at full size; give a target shape to shrink it while decoding");
                    }
                    int step = (int) Math.ceil(Math.sqrt((double) w * h / MAX_DECODED_PIXELS));
                    while ((w + step - 1) / step * ((h + step - 1) / step) > MAX_DECODED_PIXELS) {
                        step++;
                    }
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage decoded = reader.read(0, param);
                if (decoded == null) {
                    throw new MalformedFileException(file, "not a readable image (corrupt data)");
                }
                return decoded;
            } catch (MalformedFileException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new MalformedFileException(file, "corrupt image: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    private Image toImage(BufferedImage src) {
        boolean grey = src.getColorModel().getNumColorComponents() == 1;
        int channels = targetShape != null ? targetShape.channels() : grey ? 1 : 3;
        int h = targetShape != null ? targetShape.height() : src.getHeight();
        int w = targetShape != null ? targetShape.width() : src.getWidth();
        BufferedImage img = src;
        if (h != src.getHeight() || w != src.getWidth()) {
            img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
            g.dispose();
        }
        // Grey values come from the raster: getRGB would convert linear grey to sRGB and change them.
        int greyShift = grey ? Math.max(0, img.getColorModel().getComponentSize(0) - 8) : 0;
        ImageShape shape = new ImageShape(channels, h, w);
        byte[] px = new byte[shape.pixels()];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r;
                int g;
                int b;
                if (grey) {
                    r = g = b = img.getRaster().getSample(x, y, 0) >>> greyShift;
                } else {
                    int rgb = img.getRGB(x, y);
                    r = rgb >>> 16 & 0xFF;
                    g = rgb >>> 8 & 0xFF;
                    b = rgb & 0xFF;
                }
                int p = y * w + x;
                if (channels == 1) {
                    px[p] = (byte) (grey ? r : Math.round(0.299f * r + 0.587f * g + 0.114f * b));
                } else {
                    px[p] = (byte) r;
                    px[plane + p] = (byte) g;
                    px[2 * plane + p] = (byte) b;
                }
            }
        }
        return new Image(shape, px);
    }
}
