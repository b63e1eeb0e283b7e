package org.deephash4j.io;

/** The NumPy element types deephash4j reads and writes in {@code .npy} files. */
public enum NpyType {
    FLOAT32('f', 4),
    FLOAT64('f', 8),
    UINT8('u', 1),
    INT8('i', 1),
    INT32('i', 4),
    INT64('i', 8),
    BOOL('b', 1);

    private final char kind;
    private final int size;

    NpyType(char kind, int size) {
        this.kind = kind;
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** The {@code descr} string NumPy writes for this type in little-endian order, e.g. {@code <f4}. */
    public String descr() {
        return (size == 1 ? "|" : "<") + kind + size;
    }

    /**
     * The type a {@code descr} string names (byte order, kind letter, size: {@code <f4}, {@code |u1},
     * {@code >i8}), or {@code null} if deephash4j does not support it.
     */
    static NpyType ofDescr(String descr) {
        if (descr.length() != 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            return null;
        }
        for (NpyType t : values()) {
            if (t.kind == descr.charAt(1) && t.size == descr.charAt(2) - '0') {
                return t;
            }
        }
        return null;
    }
}
