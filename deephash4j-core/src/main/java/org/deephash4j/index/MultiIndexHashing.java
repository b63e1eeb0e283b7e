package org.deephash4j.index;

import java.util.stream.IntStream;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.Hamming;

/**
 * Exact k-NN and range search by multi-index hashing (Norouzi, Punjani &amp; Fleet, CVPR 2012 /
 * TPAMI 2014). Codes are split into m disjoint substrings, each the key of one table. By the
 * pigeonhole principle, a code within Hamming distance r of the query has some substring within
 * floor(r / m) of the query's; more finely, once every table j' &lt;= j has been probed to substring
 * radius s and the others to s - 1, every code within s m + j has been found. So the search probes
 * radius s = 0, 1, 2, ... table by table, verifies candidates with the full distance, and stops as
 * soon as k found codes lie within that guaranteed radius: the result is exact, no recall knob.
 *
 * <p>A candidate is counted only at the first (radius, table) that can reach it, the table of its
 * smallest substring distance, so duplicates need no per-query marker array. Each table stores its
 * buckets' codes contiguously beside their positions, so verifying a bucket is a sequential scan; and
 * k-NN queries run in batches whose probes are sorted by bucket, so each probed bucket streams from
 * memory once per batch and is verified against all the queries probing it.
 * When a probe step would enumerate more substring values than the index holds codes (long substrings
 * searched to a large radius), the queries still open finish with a scan of every code instead: still exact,
 * and never slower than that scan by more than the steps before it.
 * The tables ({@link SubstringTable}) are rebuilt after {@link #add} and {@link #remove}; an index file
 * stores them, so loading maps them instead of building them.
 */
public final class MultiIndexHashing extends StoredCodesIndex {

    private final int requestedSubstrings;
    private int m;
    private SubstringTable[] tables;

    /** An empty index; the number of substrings is chosen from the code length and size when codes are added. */
    public MultiIndexHashing(int bits) {
        this(bits, 0);
    }

    /** An empty index with {@code substrings} substrings (0 to choose automatically). */
    public MultiIndexHashing(int bits, int substrings) {
        this(bits, substrings, null, null);
    }

    MultiIndexHashing(int bits, int substrings, CodeStore codes, IdStore ids) {
        super(bits, codes, ids);
        checkSubstrings(bits, substrings);
        this.requestedSubstrings = substrings;
        codesChanged();
    }

    /** Refuses a number of substrings (0: automatic) that {@code bits}-bit codes cannot be split into. */
    static void checkSubstrings(int bits, int substrings) {
        if (substrings < 0 || substrings > bits) {
            throw new IllegalArgumentException("substrings must be in [0, " + bits + "], got " + substrings);
        }
        if (substrings > 0 && (bits + substrings - 1) / substrings > 32) {
            throw new IllegalArgumentException("substrings of more than 32 bits are not supported: use at least "
                    + (bits + 31) / 32 + " substrings for " + bits + " bits");
        }
    }

    /** An index over stored codes with its tables already built (loaded from a file). */
    MultiIndexHashing(int bits, CodeStore codes, IdStore ids, SubstringTable[] tables) {
        super(bits, codes, ids);
        this.requestedSubstrings = tables.length;
        this.m = tables.length;
        this.tables = tables;
        assert java.util.Arrays.stream(tables).allMatch(t -> t.positions.size() == ids.size());
    }

    /**
     * The default number of substrings: about 1.7 bits / log2(n), each at most 32 bits. Norouzi et al.
     * suggest bits / log2(n) (about one code per bucket); here a bucket is verified by a sequential,
     * vectorised scan shared by a batch of queries, which makes more and shorter substrings (fewer
     * probes, larger buckets) faster. Measured with {@code bench/run search}, random 64-bit codes,
     * k = 10: at 10M codes m = 3, 4, 5, 6, 7 ran 2.1x, 6.1x, 8.7x, 5.9x, 5.0x faster than a flat scan;
     * at 1M, m = 3, 4, 5 ran 0.2x, 1.6x, 1.8x.
     */
    public static int defaultSubstrings(int bits, int n) {
        int byLog = (int) Math.round(1.7 * bits / (Math.log(Math.max(n, 2)) / Math.log(2)));
        return Math.min(bits, Math.max(Math.max(1, (bits + 31) / 32), byLog));
    }

    /** The number of substrings in use. */
    public int substrings() {
        return m;
    }

    @Override
    public IndexType type() {
        return IndexType.MIH;
    }

    /** Rebuilds the tables from the codes. */
    @Override
    void codesChanged() {
        int n = ids.size();
        m = requestedSubstrings > 0 ? requestedSubstrings : defaultSubstrings(bits, n);
        SubstringTable[] built = new SubstringTable[m];
        IntStream.range(0, m).parallel().forEach(j ->
                built[j] = SubstringTable.build(SubstringTable.startOf(bits, m, j), SubstringTable.lengthOf(bits, m, j), codes, n));
        tables = built;
    }

    /** The tables, in substring order, for saving. */
    SubstringTable[] tables() {
        return tables.clone();
    }

    /** Per-query search state. */
    private final class Probe {
        final long[] q;
        final int qOff;
        final int[] subKey;
        final int[] dist = new int[CHUNK];
        final long[] tile = new long[CHUNK * wpc];

        Probe(long[] q, int qOff) {
            this.q = q;
            this.qOff = qOff;
            this.subKey = new int[m];
            for (int j = 0; j < m; j++) {
                subKey[j] = tables[j].key(q, qOff);
            }
        }

        /** Whether the code at {@code c[off..]}, reached in table j at radius s, is reached there first. */
        boolean firstReach(long[] c, int off, int s, int j) {
            for (int i = 0; i < m; i++) {
                if (i == j) {
                    continue;
                }
                int d = tables[i].distance(c, off, q, qOff);
                if (d < s || (d == s && i < j)) {
                    return false;
                }
            }
            return true;
        }

        /** Verifies the bucket {@code [from, to)} of table t a chunk at a time ({@link #verifyChunk}). */
        private void verify(SubstringTable t, int from, int to, int s, int j, CandidateSink sink) {
            for (int c = from; c < to; c += CHUNK) {
                int len = Math.min(CHUNK, to - c);
                verifyChunk(t.codes.tile(c, len, tile), t.codes.tileOffset(c), t.positions, c, len, s, j, sink, dist);
            }
        }

        /**
         * Verifies the {@code len} codes of a table from its entry {@code c}, which lie in {@code chunk} from
         * {@code off}, reached at substring radius s: distances by the vectorised kernel into
         * {@code scratch}, and only codes below the sink's bound are checked for being reached here first.
         */
        void verifyChunk(long[] chunk, int off, IntColumn positions, int c, int len, int s, int j, CandidateSink sink,
                int[] scratch) {
            int bound = sink.bound();
            if (Hamming.distancesBelow(q, qOff, wpc, chunk, off, len, scratch, bound)) {
                for (int i = 0; i < len; i++) {
                    if (scratch[i] < bound && firstReach(chunk, off + i * wpc, s, j)) {
                        sink.offer(scratch[i], positions.get(c + i));
                        bound = sink.bound();
                    }
                }
            }
        }

        /**
         * Offers every code of the index to the sink: the exact fallback once probing would enumerate more
         * substring values than there are codes.
         */
        void scanAll(CandidateSink sink) {
            int n = ids.size();
            for (int c = 0; c < n; c += CHUNK) {
                int len = Math.min(CHUNK, n - c);
                long[] chunk = codes.tile(c, len, tile);
                int off = codes.tileOffset(c);
                int bound = sink.bound();
                if (Hamming.distancesBelow(q, qOff, wpc, chunk, off, len, dist, bound)) {
                    for (int i = 0; i < len; i++) {
                        if (dist[i] < bound) {
                            sink.offer(dist[i], c + i);
                            bound = sink.bound();
                        }
                    }
                }
            }
        }

        /** Visits the buckets of table j at substring radius s, passing new candidates to the sink. */
        void probe(int j, int s, CandidateSink sink) {
            SubstringTable t = tables[j];
            if (s > t.length) {
                return;
            }
            long limit = 1L << t.length;
            long mask = s == 0 ? 0 : (1L << s) - 1;
            while (mask < limit) {
                long range = t.bucket(subKey[j] ^ (int) mask);
                if (range != -1) {
                    verify(t, (int) (range >>> 32), (int) range, s, j, sink);
                }
                if (s == 0) {
                    break;
                }
                mask = nextCombination(mask);
            }
        }
    }

    /** Probe keys gathered per (radius, table) step before sorting; batches are split to stay under it. */
    private static final int MAX_PAIRS_PER_STEP = 1 << 22;

    @Override
    public SearchResult search(BinaryCodes queries, int k) {
        // one batch per thread (at most 512 queries): batches share bucket scans among their queries
        int threads = Math.max(1, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1);
        int batch = Math.max(1, Math.min(512, (queries.size() + threads - 1) / threads));
        return searchInBlocks(queries, k, batch, this::searchBatch);
    }

    /**
     * k-NN for queries {@code [q0, q1)} together: at each (radius, table) step the probe keys of all
     * still-active queries are sorted, so each probed bucket streams from memory once and each chunk of
     * it is verified against every query probing it while in cache. A query leaves the batch as soon as
     * its k-th best lies within the radius guaranteed so far.
     */
    private void searchBatch(BinaryCodes queries, int q0, int q1, int k, int[] outDist, int[] outPos) {
        assert k > 0;
        int count = q1 - q0;
        TopK[] tops = new TopK[count];
        Probe[] probes = new Probe[count];
        int[] active = new int[count];
        int nActive = 0;
        for (int i = 0; i < count; i++) {
            tops[i] = new TopK(bits, false);
            tops[i].reset(k);
            probes[i] = new Probe(queries.words(), (q0 + i) * wpc);
            active[nActive++] = i;
        }
        int maxLength = maxLength();
        // one scratch for the whole batch: it stays in L1 while a bucket chunk is checked against every query
        int[] dist = new int[CHUNK];
        long[] tile = new long[CHUNK * wpc];
        for (int s = 0; s <= maxLength && nActive > 0; s++) {
            for (int j = 0; j < m && nActive > 0; j++) {
                SubstringTable t = tables[j];
                if (s <= t.length && binomial(t.length, s) > ids.size()) {
                    // long substrings at a large radius: a scan of every code is cheaper than this probe step
                    for (int a = 0; a < nActive; a++) {
                        tops[active[a]].reset(k);
                        probes[active[a]].scanAll(tops[active[a]]);
                    }
                    nActive = 0;
                    break;
                }
                if (s <= t.length) {
                    long combinations = binomial(t.length, s);
                    int perStep = (int) Math.max(1, Math.min(nActive, MAX_PAIRS_PER_STEP / Math.max(1, combinations)));
                    for (int from = 0; from < nActive; from += perStep) {
                        probeStep(t, j, s, active, from, Math.min(nActive, from + perStep), probes, tops, dist, tile);
                    }
                }
                int kept = 0;
                for (int a = 0; a < nActive; a++) {
                    if (tops[active[a]].kthDistance() > s * m + j) {
                        active[kept++] = active[a];
                    }
                }
                nActive = kept;
            }
        }
        for (int i = 0; i < count; i++) {
            tops[i].finish(outDist, outPos, (q0 + i) * k);
        }
    }

    /** One (radius s, table j) step for the active queries {@code active[from..to)}. */
    private void probeStep(SubstringTable t, int j, int s, int[] active, int from, int to, Probe[] probes, TopK[] tops, int[] dist,
            long[] tile) {
        int combos = (int) binomial(t.length, s);
        long[] pairs = new long[(to - from) * combos];
        int np = 0;
        for (int a = from; a < to; a++) {
            int qi = active[a];
            int key = probes[qi].subKey[j];
            long mask = s == 0 ? 0 : (1L << s) - 1;
            long limit = 1L << t.length;
            while (mask < limit) {
                pairs[np++] = (long) (key ^ (int) mask) << 32 | qi;
                if (s == 0) {
                    break;
                }
                mask = nextCombination(mask);
            }
        }
        java.util.Arrays.sort(pairs, 0, np);
        int[] group = new int[to - from];
        for (int p = 0; p < np; ) {
            int key = (int) (pairs[p] >>> 32);
            int g = 0;
            while (p < np && (int) (pairs[p] >>> 32) == key) {
                group[g++] = (int) pairs[p];
                p++;
            }
            long range = t.bucket(key);
            if (range == -1) {
                continue;
            }
            int bucketFrom = (int) (range >>> 32);
            int bucketTo = (int) range;
            for (int c = bucketFrom; c < bucketTo; c += CHUNK) {
                int len = Math.min(CHUNK, bucketTo - c);
                long[] chunk = t.codes.tile(c, len, tile);
                int off = t.codes.tileOffset(c);
                for (int x = 0; x < g; x++) {
                    int qi = group[x];
                    probes[qi].verifyChunk(chunk, off, t.positions, c, len, s, j, tops[qi], dist);
                }
            }
        }
    }

    /** The next larger mask with the same number of set bits (Gosper's hack): enumerates substring flips. */
    private static long nextCombination(long mask) {
        long c = mask & -mask;
        long r = mask + c;
        return (((r ^ mask) >>> 2) / c) | r;
    }

    private static long binomial(int n, int r) {
        long b = 1;
        for (int i = 1; i <= r; i++) {
            b = b * (n - r + i) / i;
        }
        return b;
    }

    @Override
    public RangeResult rangeSearch(BinaryCodes queries, int radius) {
        checkQueries(queries);
        checkRadius(radius);
        int nq = queries.size();
        int[][] hitDist = new int[nq][];
        int[][] hitPos = new int[nq][];
        int maxLength = maxLength();
        long probes = 0;
        for (int s = 0; s <= maxLength && s * m <= radius; s++) {
            for (int j = 0; j < m && s * m + j <= radius; j++) {
                probes += tables[j].length >= s ? binomial(tables[j].length, s) : 0;
            }
        }
        boolean scanIsCheaper = probes > ids.size();
        IntStream.range(0, nq).parallel().forEach(qi -> {
            RangeCollector c = new RangeCollector(bits);
            Probe p = new Probe(queries.words(), qi * wpc);
            CandidateSink sink = new CandidateSink() {
                @Override
                public int bound() {
                    return radius + 1;
                }

                @Override
                public void offer(int distance, int position) {
                    c.add(distance, position);
                }
            };
            if (scanIsCheaper) {
                p.scanAll(sink);
                c.sortedInto(qi, hitDist, hitPos, false);
                return;
            }
            outer:
            for (int s = 0; s <= maxLength; s++) {
                for (int j = 0; j < m; j++) {
                    p.probe(j, s, sink);
                    if (s * m + j >= radius) {
                        break outer;
                    }
                }
            }
            c.sortedInto(qi, hitDist, hitPos, false);
        });
        return RangeCollector.assemble(radius, hitDist, hitPos, ids);
    }

    private int maxLength() {
        int max = 0;
        for (SubstringTable t : tables) {
            max = Math.max(max, t.length);
        }
        return max;
    }

    @Override
    public long heapBytes() {
        long b = super.heapBytes();
        for (SubstringTable t : tables) {
            b += t.heapBytes();
        }
        return b;
    }

    @Override
    public String toString() {
        return "MultiIndexHashing[" + size() + " x " + bits + " bits, " + m + " substrings]";
    }
}
