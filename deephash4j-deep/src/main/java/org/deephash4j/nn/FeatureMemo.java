package org.deephash4j.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.io.NpyType;

/**
 * The outputs of a frozen network, remembered by the content of their input: the cache that lets every
 * method train its hash head on pretrained features in seconds. A row is keyed by a 128-bit hash of the
 * input image's values (so a data set, a view of it or an augmented copy each have their own rows, and
 * nothing is confused when files change) and stored in a folder per network and input size under
 * {@code $DEEPHASH_HOME/features}, as segments of {@code .npy} files: {@code NNNNNN.npy} (rows x
 * dimension, float32) and {@code NNNNNN.keys.npy} (rows x 2, int64), the keys file written last so a
 * segment without one is an interrupted write and is ignored. New rows are written as a segment every
 * {@value #SEGMENT_ROWS} rows and when the JVM exits.
 */
final class FeatureMemo {

    /** New rows written as one segment. */
    static final int SEGMENT_ROWS = 2048;

    private static final Map<Path, FeatureMemo> OPEN = new ConcurrentHashMap<>();

    private final Path folder;
    private final int dimension;
    private final Map<Key, float[]> rows = new HashMap<>();
    private final List<Key> pendingKeys = new ArrayList<>();
    private boolean loaded;

    /** A row's key: two independent 64-bit hashes of the input. */
    record Key(long a, long b) {
    }

    private FeatureMemo(Path folder, int dimension) {
        this.folder = folder;
        this.dimension = dimension;
    }

    /** The memo of {@code folder} (one per folder in a process), whose rows have {@code dimension} values. */
    static FeatureMemo in(Path folder, int dimension) {
        FeatureMemo m = OPEN.computeIfAbsent(folder.toAbsolutePath().normalize(), f -> {
            FeatureMemo memo = new FeatureMemo(f, dimension);
            Runtime.getRuntime().addShutdownHook(new Thread(memo::flushQuietly, "feature-memo-flush"));
            return memo;
        });
        if (m.dimension != dimension) {
            throw new IllegalArgumentException(folder + " holds rows of " + m.dimension + " values, asked for " + dimension);
        }
        return m;
    }

    /** The key of {@code length} input values starting at {@code offset}. */
    static Key key(float[] values, int offset, int length) {
        long a = 0x9E3779B97F4A7C15L ^ length;
        long b = 0xC2B2AE3D27D4EB4FL + length;
        for (int i = offset; i < offset + length; i++) {
            long v = Float.floatToRawIntBits(values[i]) & 0xFFFFFFFFL;
            a = (a ^ v) * 0x100000001B3L;
            b = Long.rotateLeft(b + v * 0xFF51AFD7ED558CCDL, 31) * 0x9E3779B97F4A7C15L;
        }
        return new Key(mix(a), mix(b));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /** The row of {@code key}, or {@code null}. */
    synchronized float[] get(Key key) {
        load();
        return rows.get(key);
    }

    /** Remembers {@code row} for {@code key}; every {@value #SEGMENT_ROWS} new rows are written as a segment. */
    synchronized void put(Key key, float[] row) {
        if (row.length != dimension) {
            throw new IllegalArgumentException("a row of " + row.length + " values in a memo of " + dimension);
        }
        load();
        if (rows.putIfAbsent(key, row) == null) {
            pendingKeys.add(key);
        }
        if (pendingKeys.size() >= SEGMENT_ROWS) {
            flush();
        }
    }

    /** Number of rows held. */
    synchronized int size() {
        load();
        return rows.size();
    }

    /** Writes the rows not yet on disk as a new segment. */
    synchronized void flush() {
        if (pendingKeys.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(folder);
            int n = pendingKeys.size();
            float[] values = new float[n * dimension];
            long[] keys = new long[2 * n];
            for (int i = 0; i < n; i++) {
                Key k = pendingKeys.get(i);
                System.arraycopy(rows.get(k), 0, values, i * dimension, dimension);
                keys[2 * i] = k.a();
                keys[2 * i + 1] = k.b();
            }
            String name = String.format(java.util.Locale.ROOT, "%06d", nextSegment());
            Npy.write(folder.resolve(name + ".npy"), NpyArray.ofFloats(values, n, dimension));
            Npy.write(folder.resolve(name + ".keys.npy"), NpyArray.ofLongs(keys, n, 2));
            pendingKeys.clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the feature cache in " + folder + ": " + e.getMessage(), e);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // exiting: the rows are recomputed next time
        }
    }

    private int nextSegment() throws IOException {
        int next = 0;
        for (Path p : segments()) {
            next = Math.max(next, Integer.parseInt(p.getFileName().toString().substring(0, 6)) + 1);
        }
        return next;
    }

    private List<Path> segments() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d{6}\\.keys\\.npy")).sorted().toList();
        }
    }

    /** Reads the segments on disk once; a damaged segment is refused naming its file. */
    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        try {
            for (Path keysFile : segments()) {
                Path valuesFile = folder.resolve(keysFile.getFileName().toString().replace(".keys.npy", ".npy"));
                NpyArray keys = Npy.read(keysFile);
                NpyArray values = Npy.read(valuesFile);
                int[] ks = keys.shape();
                int[] vs = values.shape();
                if (keys.type() != NpyType.INT64 || ks.length != 2 || ks[1] != 2 || values.type() != NpyType.FLOAT32 || vs.length != 2
                        || vs[0] != ks[0] || vs[1] != dimension) {
                    throw new MalformedFileException(valuesFile, "not a feature segment of rows of " + dimension
                            + " values with its keys (delete the folder to rebuild the cache)");
                }
                ByteBuffer kb = ByteBuffer.wrap(keys.data()).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer vb = ByteBuffer.wrap(values.data()).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < ks[0]; i++) {
                    float[] row = new float[dimension];
                    vb.asFloatBuffer().position(i * dimension).get(row);
                    rows.put(new Key(kb.getLong(16 * i), kb.getLong(16 * i + 8)), row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the feature cache in " + folder + ": " + e.getMessage(), e);
        }
    }
}
