package org.deephash4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.io.MalformedFileException;

/**
 * The codes of a data set's items, with what splitting them needs: what {@code encode}, {@code eval}
 * and {@code index build} work on. A code's id is its item's position; an item without a code (an image
 * that could not be decoded) is left out of every split.
 *
 * @param items the number of items in the data set, with or without a code
 * @param labels the labels of all {@code items}, or {@code null} for a feature matrix given without labels
 * @param officialTrainSize items before this position are the official training set
 * @param skipped image files that got no code because they could not be decoded
 */
record ItemCodes(String name, BinaryCodes codes, int items, MultiHotLabels labels, int officialTrainSize,
        List<ImageFileDataset.Skipped> skipped) {

    /** Which items a command takes. */
    enum Subset { ALL, QUERY, DATABASE, TRAIN }

    ItemCodes {
        skipped = List.copyOf(skipped);
        if (labels != null && labels.size() != items) {
            throw new IllegalArgumentException(name + ": " + labels.size() + " labels for " + items + " items");
        }
    }

    /**
     * These codes as the codes of {@code name}'s items, read from {@code file}: refused when an id is
     * not an item position (codes of another data set).
     */
    static ItemCodes fromFile(Path file, BinaryCodes codes, String name, int items, MultiHotLabels labels, int officialTrainSize)
            throws MalformedFileException {
        long maxId = -1;
        for (int i = 0; i < codes.size(); i++) {
            maxId = Math.max(maxId, codes.id(i));
        }
        if (codes.size() > items || maxId >= items) {
            throw new MalformedFileException(file, codes.size() + " codes with ids up to " + maxId + " cannot be codes of "
                    + name + ", which has " + items + " items (ids are item positions): codes of another data set?");
        }
        ItemCodes c = new ItemCodes(name, codes, items, labels, officialTrainSize, List.of());
        int missing = items - codes.size();
        if (missing > 0) {
            System.err.printf(Locale.ROOT, "[data] %d of the %d items of %s have no code in %s (images that could not be decoded, or "
                    + "codes of a part of the data set); splits leave them out%n", missing, items, name, file);
        }
        return c;
    }

    /** The split of {@code protocol} over the items that have a code. */
    Split split(Protocol protocol) {
        if (labels == null) {
            throw new IllegalArgumentException("protocol " + protocol.name() + " needs labels: give --labels with the features");
        }
        return protocol.split(labels, officialTrainSize).without(withoutCode());
    }

    /** The codes of the items at {@code positions} (each must have one), in that order. */
    BinaryCodes at(int[] positions) {
        return codes.subset(codes.positionsOf(Split.ids(positions)));
    }

    /** The codes of {@code subset}: all of them, or one part of {@code protocol}'s split (which it then needs). */
    BinaryCodes select(Subset subset, Protocol protocol) {
        if (subset == Subset.ALL) {
            return codes;
        }
        if (protocol == null) {
            throw new IllegalArgumentException("--subset " + subset.name().toLowerCase(Locale.ROOT) + " needs a protocol: give --protocol");
        }
        Split split = split(protocol);
        return at(switch (subset) {
            case QUERY -> split.query();
            case DATABASE -> split.database();
            case TRAIN -> split.train();
            case ALL -> throw new AssertionError();
        });
    }

    /** The positions of the items without a code, ascending. */
    private int[] withoutCode() {
        if (codes.size() == items) {
            return new int[0];
        }
        boolean[] has = new boolean[items];
        for (int i = 0; i < codes.size(); i++) {
            has[(int) codes.id(i)] = true;
        }
        return Split.positionsWhere(has, false);
    }
}
