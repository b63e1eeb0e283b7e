package org.deephash4j.data.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.deephash4j.data.Image;
import org.deephash4j.data.ImageShape;
import org.deephash4j.io.MalformedFileException;

/**
 * Turns an image file as users have it (PNG, JPEG in any flavour TwelveMonkeys reads: progressive,
 * CMYK, ...; WebP, GIF, BMP) into the pixels a method sees: the EXIF orientation applied, transparent
 * pixels composited on white (clip art and emoji have transparent backgrounds, and black would erase
 * their black line art), resized by area averaging when shrinking (every source pixel counts, so thin
 * lines survive) and by linear interpolation when enlarging, and converted to grey (ITU-R BT.601
 * luma) when one channel is asked for.
 *
 * <p>Memory is bounded: the dimensions are read before decoding, and an image of more than
 * {@link #MAX_DECODED_PIXELS} pixels is decoded every s-th pixel in each direction when it is to be
 * resized, refused otherwise (a decompression bomb costs nothing). Resizing runs row by row.
 */
public final class ImageDecoder {

    /** The most pixels one image is decoded to: 16.7 million, 64 MiB as 32-bit pixels. */
    public static final long MAX_DECODED_PIXELS = 1L << 24;

    private ImageDecoder() {
    }

    /**
     * Decodes {@code file} to {@code target} (channels 1 or 3, height, width), or at its own size and
     * channels (1 for grey images, else 3) when {@code target} is {@code null}.
     */
    public static Image decode(Path file, ImageShape target) throws IOException {
        return decode(file, target, Long.MAX_VALUE);
    }

    /**
     * As {@link #decode(Path, ImageShape)}, refusing an image whose header gives more than
     * {@code maxSourcePixels} pixels before any of it is decoded (a service's bound on the work one
     * upload can cause).
     */
    public static Image decode(Path file, ImageShape target, long maxSourcePixels) throws IOException {
        BufferedImage img = read(file, target != null, maxSourcePixels);
        int orientation = ExifOrientation.read(file);
        boolean transposed = orientation >= 5;
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        int channels = target != null ? target.channels() : grey ? 1 : 3;
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
        }
        int outH = target == null ? (transposed ? img.getWidth() : img.getHeight()) : target.height();
        int outW = target == null ? (transposed ? img.getHeight() : img.getWidth()) : target.width();
        // Resize first, to the size before orientation, then orient the small result.
        int rh = transposed ? outW : outH;
        int rw = transposed ? outH : outW;
        float[][] planes = resize(img, grey, rh, rw);
        byte[] px = new byte[channels * outH * outW];
        int plane = outH * outW;
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                int i = y * rw + x;
                float r = planes[0][i];
                float g = planes[1][i];
                float b = planes[2][i];
                int to = ExifOrientation.target(orientation, y, x, rh, rw);
                if (channels == 1) {
                    px[to] = toByte(grey ? r : 0.299f * r + 0.587f * g + 0.114f * b);
                } else {
                    px[to] = toByte(r);
                    px[plane + to] = toByte(g);
                    px[2 * plane + to] = toByte(b);
                }
            }
        }
        return new Image(new ImageShape(channels, outH, outW), px);
    }

    private static byte toByte(float v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Decodes the file's first image within the pixel bound. */
    static BufferedImage read(Path file, boolean resized, long maxSourcePixels) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
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
                if (w * h > maxSourcePixels) {
                    throw new MalformedFileException(file, "image of " + w + " x " + h + " pixels is larger than the "
                            + maxSourcePixels + " pixels allowed");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                if (w * h > MAX_DECODED_PIXELS) {
                    if (!resized) {
                        throw new MalformedFileException(file, w + " x " + h + " pixels is more than the " + MAX_DECODED_PIXELS
                                + " decoded at full size; give a target shape (--shape) to shrink it while decoding");
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

    /**
     * The image as three float planes of {@code outH x outW}, alpha composited on white: rows are read
     * one at a time and resampled horizontally, then the columns vertically.
     */
    private static float[][] resize(BufferedImage img, boolean grey, int outH, int outW) {
        int w = img.getWidth();
        int h = img.getHeight();
        Resampler horizontal = Resampler.of(w, outW);
        Resampler vertical = Resampler.of(h, outH);
        float[][] rows = new float[3][h * outW];
        int[] argb = new int[w];
        float[][] line = new float[3][w];
        Raster raster = img.getRaster();
        boolean alpha = img.getColorModel().hasAlpha();
        int shift = grey ? Math.max(0, img.getColorModel().getComponentSize(0) - 8) : 0;
        int[] samples = grey ? new int[w * raster.getNumBands()] : null;
        for (int y = 0; y < h; y++) {
            if (grey) {
                // Grey values come from the raster: getRGB would convert linear grey to sRGB and change them.
                raster.getPixels(0, y, w, 1, samples);
                int bands = raster.getNumBands();
                for (int x = 0; x < w; x++) {
                    float v = samples[x * bands] >>> shift;
                    float a = alpha && bands > 1 ? (samples[x * bands + 1] >>> shift) / 255f : 1f;
                    float c = v * a + 255f * (1 - a);
                    line[0][x] = c;
                    line[1][x] = c;
                    line[2][x] = c;
                }
            } else {
                img.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = argb[x];
                    float a = alpha ? (p >>> 24) / 255f : 1f;
                    float white = 255f * (1 - a);
                    line[0][x] = (p >>> 16 & 0xFF) * a + white;
                    line[1][x] = (p >>> 8 & 0xFF) * a + white;
                    line[2][x] = (p & 0xFF) * a + white;
                }
            }
            for (int c = 0; c < 3; c++) {
                horizontal.apply(line[c], 0, 1, rows[c], y * outW, 1);
            }
        }
        float[][] out = new float[3][outH * outW];
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < outW; x++) {
                vertical.apply(rows[c], x, outW, out[c], x, outW);
            }
        }
        return out;
    }
}
