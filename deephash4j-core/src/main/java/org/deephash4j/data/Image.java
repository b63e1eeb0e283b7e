package org.deephash4j.data;

/** One decoded image: 8-bit values in channel-major order (CHW), grey or RGB. */
public record Image(ImageShape shape, byte[] pixels) {

    public Image {
        if (pixels.length != shape.pixels()) {
            throw new IllegalArgumentException("an image of shape " + shape + " has " + shape.pixels()
                    + " values, got " + pixels.length);
        }
    }

    /** The value at channel {@code c}, row {@code y}, column {@code x}, in 0..255. */
    public int value(int c, int y, int x) {
        return pixels[(c * shape.height() + y) * shape.width() + x] & 0xFF;
    }
}
