package org.deephash4j.server.store;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.IndexType;
import org.deephash4j.index.Indexes;
import org.deephash4j.index.RangeResult;
import org.deephash4j.index.SearchResult;

/**
 * An index's searchable state at one moment, never changed once built: a large base index, a small
 * flat delta of the items written since the base was built, and the base ids deleted or replaced
 * since. A write makes a new {@code Segments} that shares the base (costing the delta's size, not the
 * index's); {@link #merged} folds the delta into a new base. Searches run on whichever state they
 * started with, so they never see a half-applied write.
 */
final class Segments {

    private final int bits;
    private final HammingIndex base;
    private final Map<Long, Item> baseItems;
    private final FlatIndex delta;
    private final Map<Long, Item> deltaItems;
    private final LongOpenHashSet deleted;

    private Segments(int bits, HammingIndex base, Map<Long, Item> baseItems, FlatIndex delta, Map<Long, Item> deltaItems,
            LongOpenHashSet deleted) {
        this.bits = bits;
        this.base = base;
        this.baseItems = baseItems;
        this.delta = delta;
        this.deltaItems = deltaItems;
        this.deleted = deleted;
    }

    /** A state over {@code base} (not changed afterwards) with the labels and metadata of its items that have any. */
    static Segments of(HammingIndex base, Map<Long, Item> baseItems) {
        return new Segments(base.bits(), base, Map.copyOf(baseItems), new FlatIndex(base.bits()), Map.of(), new LongOpenHashSet());
    }

    int bits() {
        return bits;
    }

    /** Items in the index. */
    int size() {
        return base.size() - deleted.size() + delta.size();
    }

    /** Items written since the base was built (the delta's size plus the base items it hides). */
    int pending() {
        return delta.size() + deleted.size();
    }

    HammingIndex base() {
        return base;
    }

    private boolean inBase(long id) {
        return !deleted.contains(id) && base.codesOf(new long[] {id}).size() == 1;
    }

    /** The item {@code id} with its code, if present. */
    Optional<Stored> get(long id) {
        if (deltaItems.containsKey(id)) {
            return Optional.of(new Stored(deltaItems.get(id), delta.codesOf(new long[] {id}).words()));
        }
        if (!deleted.contains(id)) {
            BinaryCodes c = base.codesOf(new long[] {id});
            if (c.size() == 1) {
                return Optional.of(new Stored(baseItems.getOrDefault(id, Item.bare(id)), c.words()));
            }
        }
        return Optional.empty();
    }

    /** An item and its code's words. */
    record Stored(Item item, long[] words) {
    }

    boolean contains(long id) {
        return deltaItems.containsKey(id) || inBase(id);
    }

    /**
     * This state with {@code records} applied in order (puts, deletions; details records are not
     * writes), in one pass: the delta is rebuilt once, not once per record, so replaying a long log
     * costs its length.
     */
    Segments applyAll(List<LogRecord> records) {
        Map<Long, LogRecord> last = new java.util.LinkedHashMap<>();
        for (LogRecord r : records) {
            switch (r) {
                case LogRecord.Put p -> last.put(p.item().id(), p);
                case LogRecord.Delete d -> last.put(d.id(), d);
                case LogRecord.Details d -> throw new IllegalArgumentException("a details record is not a write");
            }
        }
        LongOpenHashSet newDeleted = deleted.clone();
        Map<Long, Item> items = new HashMap<>(deltaItems);
        BinaryCodes old = delta.codes();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            if (!last.containsKey(old.id(i))) {
                keep.add(i);
            }
        }
        BinaryCodes kept = old.subset(keep.stream().mapToInt(Integer::intValue).toArray());
        List<LogRecord.Put> puts = new ArrayList<>();
        for (Map.Entry<Long, LogRecord> e : last.entrySet()) {
            long id = e.getKey();
            items.remove(id);
            if (inBase(id)) {
                newDeleted.add(id);
            }
            if (e.getValue() instanceof LogRecord.Put p) {
                puts.add(p);
                items.put(id, p.item());
            }
        }
        int wpc = BinaryCodes.wordsFor(bits);
        long[] words = new long[puts.size() * wpc];
        long[] ids = new long[puts.size()];
        for (int i = 0; i < puts.size(); i++) {
            System.arraycopy(puts.get(i).words(), 0, words, i * wpc, wpc);
            ids[i] = puts.get(i).item().id();
        }
        FlatIndex newDelta = new FlatIndex(bits);
        newDelta.add(BinaryCodes.concat(kept, BinaryCodes.of(bits, words, ids)));
        return new Segments(bits, base, baseItems, newDelta, Collections.unmodifiableMap(items), newDeleted);
    }

    /** One state with everything in a new base of {@code type}; the delta is empty. */
    Segments merged(IndexType type) {
        BinaryCodes baseCodes = base.codes();
        BinaryCodes kept = baseCodes;
        if (!deleted.isEmpty()) {
            kept = baseCodes.subset(java.util.stream.IntStream.range(0, baseCodes.size())
                    .filter(i -> !deleted.contains(baseCodes.id(i))).toArray());
        }
        BinaryCodes all = BinaryCodes.concat(kept, delta.codes());
        HammingIndex newBase = Indexes.create(type, bits);
        newBase.add(all);
        Map<Long, Item> items = new HashMap<>(baseItems);
        deleted.forEach(items::remove);
        deltaItems.forEach((id, item) -> {
            if (item.hasContent()) {
                items.put(id, item);
            } else {
                items.remove(id);
            }
        });
        return new Segments(bits, newBase, Collections.unmodifiableMap(items), new FlatIndex(bits), Map.of(), new LongOpenHashSet());
    }

    /** Every item that has labels or metadata (for snapshots). */
    Iterable<Item> itemsWithContent() {
        List<Item> all = new ArrayList<>();
        baseItems.forEach((id, item) -> {
            if (!deleted.contains(id) && !deltaItems.containsKey(id)) {
                all.add(item);
            }
        });
        deltaItems.values().stream().filter(Item::hasContent).forEach(all::add);
        return all;
    }

    /** The labels and metadata of a found id (bare if it has none). */
    Item item(long id) {
        Item d = deltaItems.get(id);
        return d != null ? d : baseItems.getOrDefault(id, Item.bare(id));
    }

    /**
     * The {@code k} nearest items to the query code {@code words}, only items with a label in
     * {@code labels} when it is not empty; ordered by (distance, id).
     */
    List<Hit> search(long[] words, int k, Set<Integer> labels) {
        BinaryCodes q = BinaryCodes.of(bits, words, new long[] {0});
        List<Hit> hits = new ArrayList<>(nearest(base, q, k, id -> !deleted.contains(id) && matches(item(id), labels)));
        hits.addAll(nearest(delta, q, k, id -> matches(deltaItems.get(id), labels)));
        Collections.sort(hits);
        return hits.size() > k ? List.copyOf(hits.subList(0, k)) : hits;
    }

    /** The k best of {@code index} passing {@code keep}, asking the index for more until k pass or it has no more. */
    private List<Hit> nearest(HammingIndex index, BinaryCodes q, int k, LongPredicate keep) {
        List<Hit> out = new ArrayList<>();
        if (index.size() == 0) {
            return out;
        }
        long ask = Math.min(index.size(), (long) k + (index == base ? deleted.size() : 0));
        while (true) {
            out.clear();
            SearchResult r = index.search(q, (int) ask);
            for (int j = 0; j < r.k() && out.size() < k; j++) {
                if (keep.test(r.id(0, j))) {
                    out.add(new Hit(r.id(0, j), r.distance(0, j)));
                }
            }
            if (out.size() == k || ask >= index.size()) {
                return out;
            }
            ask = Math.min(index.size(), ask * 4);
        }
    }

    /** Items within {@code radius} of the query (label-filtered as {@link #search}), the first {@code limit} by (distance, id). */
    List<Hit> within(long[] words, int radius, Set<Integer> labels, int limit) {
        BinaryCodes q = BinaryCodes.of(bits, words, new long[] {0});
        List<Hit> hits = new ArrayList<>();
        collect(base.rangeSearch(q, radius), id -> !deleted.contains(id) && matches(item(id), labels), hits);
        collect(delta.rangeSearch(q, radius), id -> matches(deltaItems.get(id), labels), hits);
        Collections.sort(hits);
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }

    private static void collect(RangeResult r, LongPredicate keep, List<Hit> out) {
        for (int j = 0; j < r.count(0); j++) {
            if (keep.test(r.id(0, j))) {
                out.add(new Hit(r.id(0, j), r.distance(0, j)));
            }
        }
    }

    private static boolean matches(Item item, Set<Integer> labels) {
        if (labels.isEmpty()) {
            return true;
        }
        if (item == null) {
            return false;
        }
        for (int l : item.labels()) {
            if (labels.contains(l)) {
                return true;
            }
        }
        return false;
    }
}
