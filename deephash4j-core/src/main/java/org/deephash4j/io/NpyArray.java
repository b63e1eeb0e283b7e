package org.deephash4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array as stored in a {@code .npy} file: element type, shape (C order) and the raw
 * little-endian element bytes. Conversions to Java arrays check that every value fits.
 */
public record NpyArray(NpyType type, int[] shape, byte[] data) {

    public NpyArray {
        shape = shape.clone();
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count *= d;
        }
        if (count * type.size() != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + type
                    + " needs " + count * type.size() + " bytes, got " + data.length);
        }
    }

    /** A float32 array of the given shape. */
    public static NpyArray ofFloats(float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NpyArray(NpyType.FLOAT32, shape, b.array());
    }

    /** A uint8 or int8 array of the given shape holding {@code values} as they are. */
    public static NpyArray ofBytes(NpyType type, byte[] values, int... shape) {
        if (type.size() != 1) {
            throw new IllegalArgumentException("not a one-byte type: " + type);
        }
        return new NpyArray(type, shape, values.clone());
    }

    /** An int64 array of the given shape. */
    public static NpyArray ofLongs(long[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new NpyArray(NpyType.INT64, shape, b.array());
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long size() {
        return data.length / type.size();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Rows of a 2-D array, or the length of a 1-D one. */
    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Columns of a 2-D array; 1 for a 1-D array. */
    public int columns() {
        return shape.length < 2 ? 1 : (int) (size() / Math.max(1, shape[0]));
    }

    /** Element {@code i} (flat C-order index) as a double. */
    public double getDouble(long i) {
        int p = Math.toIntExact(i * type.size());
        return switch (type) {
            case FLOAT32 -> Float.intBitsToFloat(intAt(p));
            case FLOAT64 -> Double.longBitsToDouble(longAt(p));
            case UINT8, BOOL -> data[p] & 0xFF;
            case INT8 -> data[p];
            case INT32 -> intAt(p);
            case INT64 -> longAt(p);
        };
    }

    /** All elements as floats (C order). */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(size())];
        if (type == NpyType.FLOAT32) {
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /** All elements as longs; fails on a non-integral value. */
    public long[] toLongArray() {
        long[] out = new long[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            if (type == NpyType.INT64) {
                out[i] = longAt(i * 8);
                continue;
            }
            double v = getDouble(i);
            if (v != Math.rint(v) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("element " + i + " is not an integer: " + v);
            }
            out[i] = (long) v;
        }
        return out;
    }

    /** The raw element bytes (a copy). */
    public byte[] bytes() {
        return data.clone();
    }

    private int intAt(int p) {
        return (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24;
    }

    private long longAt(int p) {
        return (intAt(p) & 0xFFFFFFFFL) | (long) intAt(p + 4) << 32;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && type == other.type && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray[" + type + " " + Arrays.toString(shape) + "]";
    }
}
