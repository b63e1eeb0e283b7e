package org.deephash4j.server.store;

import java.util.List;
import java.util.Map;

/**
 * What an index keeps about one item beside its code: its labels (class indices, for filtering and
 * display) and free-form metadata (such as a file name). Both are bounded ({@link #check}).
 */
public record Item(long id, List<Integer> labels, Map<String, String> metadata) {

    /** The most labels an item carries. */
    public static final int MAX_LABELS = 1024;
    /** The most metadata entries an item carries. */
    public static final int MAX_METADATA = 64;
    /** The longest metadata key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 256;
    /** The longest metadata value, in UTF-8 bytes. */
    public static final int MAX_VALUE_BYTES = 4096;

    public Item {
        labels = List.copyOf(labels);
        metadata = Map.copyOf(metadata);
        check(id, labels, metadata);
    }

    /** An item with neither labels nor metadata. */
    public static Item bare(long id) {
        return new Item(id, List.of(), Map.of());
    }

    /** Whether there is anything to keep beside the code. */
    public boolean hasContent() {
        return !labels.isEmpty() || !metadata.isEmpty();
    }

    private static void check(long id, List<Integer> labels, Map<String, String> metadata) {
        if (id < 0) {
            throw new IllegalArgumentException("item ids are non-negative, got " + id);
        }
        if (labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("an item has at most " + MAX_LABELS + " labels, got " + labels.size());
        }
        for (int label : labels) {
            if (label < 0) {
                throw new IllegalArgumentException("labels are non-negative class indices, got " + label);
            }
        }
        if (metadata.size() > MAX_METADATA) {
            throw new IllegalArgumentException("an item has at most " + MAX_METADATA + " metadata entries, got " + metadata.size());
        }
        metadata.forEach((k, v) -> {
            if (k.isEmpty() || utf8Length(k) > MAX_KEY_BYTES || utf8Length(v) > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("metadata keys are 1-" + MAX_KEY_BYTES + " bytes and values at most "
                        + MAX_VALUE_BYTES + " bytes (UTF-8)");
            }
        });
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
