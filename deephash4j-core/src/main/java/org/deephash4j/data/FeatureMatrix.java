package org.deephash4j.data;

/**
 * Real-valued feature vectors, one row per item, row-major {@code float} storage. Every value is
 * finite: NaN and infinities are refused where the matrix is made, with the row and column named.
 */
public record FeatureMatrix(int rows, int columns, float[] values) {

    public FeatureMatrix {
        if (rows < 0 || columns <= 0) {
            throw new IllegalArgumentException("bad feature matrix size " + rows + " x " + columns);
        }
        if ((long) rows * columns != values.length) {
            throw new IllegalArgumentException(rows + " x " + columns + " features need " + (long) rows * columns
                    + " values, got " + values.length);
        }
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                throw new IllegalArgumentException("feature value " + values[k] + " at row " + k / columns + ", column "
                        + k % columns + " is not finite");
            }
        }
    }

    /** Writes {@code length} pixel bytes from {@code pixels[from..]} to {@code values[to..]} as values in [0, 1]. */
    public static void scalePixels(byte[] pixels, int from, float[] values, int to, int length) {
        for (int k = 0; k < length; k++) {
            values[to + k] = (pixels[from + k] & 0xFF) / 255f;
        }
    }

    /** Value at row {@code r}, column {@code c}. */
    public float get(int r, int c) {
        return values[r * columns + c];
    }

    /** The rows at the given positions, in that order. */
    public FeatureMatrix rows(int[] positions) {
        float[] v = new float[positions.length * columns];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(values, positions[i] * columns, v, i * columns, columns);
        }
        return new FeatureMatrix(positions.length, columns, v);
    }
}
