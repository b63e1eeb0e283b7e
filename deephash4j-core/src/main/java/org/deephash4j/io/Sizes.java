package org.deephash4j.io;

import java.nio.file.Path;

/**
 * The one place where a size read from a file or a request is checked before anything is allocated
 * for it: counts against sane limits, products without overflow, and the bytes a header promises
 * against the bytes the file really has. Every check fails with a {@link MalformedFileException}
 * naming the file and the field, so a crafted ten-byte file can never make a reader allocate gigabytes.
 */
public final class Sizes {

    /** The longest Java array this project allocates (the JVM's own limit is a few elements below 2^31). */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private Sizes() {
    }

    /**
     * A count read from {@code file}, as an {@code int}, when it lies in {@code [0, max]}.
     *
     * @param what the field, as the message names it (e.g. "label count")
     */
    public static int count(Path file, String what, long value, long max) throws MalformedFileException {
        if (value < 0 || value > max) {
            throw new MalformedFileException(file, what + " " + value + " is outside [0, " + max + "]");
        }
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    /** {@code a * b} for non-negative sizes, refused with the file's name when it overflows a {@code long}. */
    public static long product(Path file, String what, long a, long b) throws MalformedFileException {
        assert a >= 0 && b >= 0;
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new MalformedFileException(file, what + " overflows: " + a + " x " + b);
        }
    }

    /** Checks that the {@code needed} bytes a header promises for {@code what} are present among {@code available}. */
    public static void available(Path file, String what, long needed, long available) throws MalformedFileException {
        if (needed > available) {
            throw new MalformedFileException(file, "truncated: the header promises " + needed + " bytes of " + what
                    + ", the file has " + Math.max(0, available));
        }
    }

    /** Checks that a file holds exactly the {@code expected} bytes its header describes. */
    public static void exactLength(Path file, String what, long expected, long actual) throws MalformedFileException {
        if (actual != expected) {
            throw new MalformedFileException(file, (actual < expected ? "truncated" : "unexpected trailing bytes") + ": "
                    + what + " take " + expected + " bytes, the file has " + actual);
        }
    }

    /** {@code length} as an array length, refused when one Java array cannot hold it. */
    public static int arrayLength(Path file, String what, long length) throws MalformedFileException {
        if (length < 0 || length > MAX_ARRAY) {
            throw new MalformedFileException(file, what + " of " + length + " elements do not fit in one array (at most "
                    + MAX_ARRAY + ")");
        }
        return (int) length;
    }
}
