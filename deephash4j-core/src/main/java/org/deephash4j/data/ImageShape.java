package org.deephash4j.data;

/** Channels, height and width of an image; pixels are stored channel-major (CHW). */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 or 3 channels, got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        if ((long) channels * height * width > MAX_PIXELS) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width + " has more than "
                    + MAX_PIXELS + " values");
        }
    }

    /** The most values one image may have (3 x 4096 x 4096). */
    public static final long MAX_PIXELS = 3L * 4096 * 4096;

    /** The shape written as {@code CxHxW}, e.g. {@code 3x64x64}. */
    public static ImageShape parse(String text) {
        String[] parts = text.strip().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("an image shape is CxHxW, e.g. 3x64x64; got '" + text + "'");
        }
        try {
            return new ImageShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an image shape is CxHxW with whole numbers, e.g. 3x64x64; got '" + text + "'");
        }
    }

    /** Values per image: channels x height x width. */
    public int pixels() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }

    /** The square image shape (3 x s x s, else 1 x s x s) with {@code dimension} values: a model's input as an image. */
    public static ImageShape squareFor(int dimension) {
        for (int channels : new int[] {3, 1}) {
            int side = (int) Math.round(Math.sqrt(dimension / (double) channels));
            if (side * side * channels == dimension) {
                return new ImageShape(channels, side, side);
            }
        }
        throw new IllegalArgumentException("an input of " + dimension + " values is no square image: give the shape");
    }
}
