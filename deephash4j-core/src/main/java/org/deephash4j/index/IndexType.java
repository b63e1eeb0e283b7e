package org.deephash4j.index;

import java.util.Locale;

/** The kinds of exact Hamming index, by the names users give and the codes index files store. */
public enum IndexType {
    /** {@link FlatIndex}: a blocked scan of every code. */
    FLAT("flat"),
    /** {@link MultiIndexHashing}: substring tables probed by increasing radius. */
    MIH("mih");

    private final String id;

    IndexType(String id) {
        this.id = id;
    }

    /** The name users give, e.g. {@code flat}. */
    public String id() {
        return id;
    }

    /** The code an index file stores for this type. */
    int fileCode() {
        return ordinal();
    }

    /** The type an index file's code stands for, or {@code null} for an unknown code. */
    static IndexType ofFileCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }

    /** The type called {@code id} (flat or mih). */
    public static IndexType parse(String id) {
        for (IndexType t : values()) {
            if (t.id.equals(id.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown index type '" + id + "' (flat, mih)");
    }

    @Override
    public String toString() {
        return id;
    }
}
