package org.deephash4j.index;

/** Creates empty indexes by type: the one place that maps an {@link IndexType} to its implementation. */
public final class Indexes {

    private Indexes() {
    }

    /** A new, empty index of {@code type} for {@code bits}-bit codes (multi-index hashing chooses its substrings). */
    public static HammingIndex create(IndexType type, int bits) {
        return switch (type) {
            case FLAT -> new FlatIndex(bits);
            case MIH -> new MultiIndexHashing(bits);
        };
    }
}
