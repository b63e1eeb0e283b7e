package org.deephash4j.data.augment;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;

/** With probability {@code p}, replaces every channel of a colour image by its luma; grey images are unchanged. */
public record RandomGrayscale(double p) implements Transform {

    @Override
    public void apply(float[] src, float[] dst, ImageShape shape, SeededRandom r) {
        boolean grey = r.nextDouble() < p;
        if (!grey || shape.channels() == 1) {
            System.arraycopy(src, 0, dst, 0, shape.pixels());
            return;
        }
        float[] g = Gray.of(src, shape);
        for (int c = 0; c < 3; c++) {
            System.arraycopy(g, 0, dst, c * g.length, g.length);
        }
    }
}
