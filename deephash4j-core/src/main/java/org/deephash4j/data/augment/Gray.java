package org.deephash4j.data.augment;

import org.deephash4j.data.ImageShape;

/** Luma (ITU-R 601: 0.299 R + 0.587 G + 0.114 B) of a CHW image; a grey image is its own luma. */
final class Gray {

    private Gray() {
    }

    static float[] of(float[] img, ImageShape shape) {
        int plane = shape.height() * shape.width();
        float[] g = new float[plane];
        if (shape.channels() == 1) {
            System.arraycopy(img, 0, g, 0, plane);
            return g;
        }
        for (int i = 0; i < plane; i++) {
            g[i] = 0.299f * img[i] + 0.587f * img[plane + i] + 0.114f * img[2 * plane + i];
        }
        return g;
    }
}
