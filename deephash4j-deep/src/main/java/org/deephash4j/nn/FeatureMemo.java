package org.deephash4j.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.FileChannels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.io.NpyType;

/**
 * The outputs of a frozen network, remembered by the content of their input: the cache that lets every
 * method train its hash head on pretrained features in seconds. A row is keyed by a 128-bit hash of the
 * input image's values (so a data set, a view of it or an augmented copy each have their own rows, and
 * nothing is confused when files change) and stored in a folder per network and input size under
 * {@code $DEEPHASH_HOME/features}, as segments: {@code NNNNNN.f32} (the rows, raw little-endian float32)
 * and {@code NNNNNN.keys.npy} (rows x 2, int64), the keys written last so a segment without them is an
 * interrupted write and is ignored. Only the keys are read into memory; the rows are memory-mapped, so
 * a cache of many gigabytes costs the heap a few bytes a row. New rows are written as a segment every
 * {@value #SEGMENT_ROWS} rows and when the JVM exits.
 */
final class FeatureMemo {

    /** New rows written as one segment. */
    static final int SEGMENT_ROWS = 2048;

    private static final Map<Path, FeatureMemo> OPEN = new ConcurrentHashMap<>();

    private final Path folder;
    private final int dimension;
    /** Rows on disk: segment index in the high 32 bits, row in the low. */
    private final Map<Key, Long> stored = new HashMap<>();
    private final List<FloatBuffer> segments = new ArrayList<>();
    private final Map<Key, float[]> pending = new LinkedHashMap<>();
    private int nextSegment;
    private boolean loaded;

    /** A row's key: two independent 64-bit hashes of the input. */
    record Key(long a, long b) {
    }

    FeatureMemo(Path folder, int dimension) {
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

    /** The row of {@code key} (a copy), or {@code null}. */
    synchronized float[] get(Key key) {
        load();
        float[] row = pending.get(key);
        if (row != null) {
            return row;
        }
        Long at = stored.get(key);
        if (at == null) {
            return null;
        }
        row = new float[dimension];
        segments.get((int) (at >>> 32)).get((int) (at & 0xFFFFFFFFL) * dimension, row);
        return row;
    }

    /** Remembers {@code row} for {@code key}; every {@value #SEGMENT_ROWS} new rows are written as a segment. */
    synchronized void put(Key key, float[] row) {
        if (row.length != dimension) {
            throw new IllegalArgumentException("a row of " + row.length + " values in a memo of " + dimension);
        }
        load();
        if (!stored.containsKey(key)) {
            pending.putIfAbsent(key, row);
        }
        if (pending.size() >= SEGMENT_ROWS) {
            flush();
        }
    }

    /** Number of rows held. */
    synchronized int size() {
        load();
        return stored.size() + pending.size();
    }

    /** Writes the rows not yet on disk as a new segment. */
    synchronized void flush() {
        load();
        if (pending.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(folder);
            List<Key> keys = new ArrayList<>(pending.keySet());
            long[] keyValues = new long[2 * keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                keyValues[2 * i] = keys.get(i).a();
                keyValues[2 * i + 1] = keys.get(i).b();
            }
            String name = String.format(java.util.Locale.ROOT, "%06d", nextSegment);
            Path values = folder.resolve(name + ".f32");
            AtomicFiles.write(values, out -> {
                ByteBuffer bytes = ByteBuffer.allocate(4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
                for (Key k : keys) {
                    bytes.clear();
                    bytes.asFloatBuffer().put(pending.get(k));
                    out.write(bytes.array());
                }
            });
            Npy.write(folder.resolve(name + ".keys.npy"), NpyArray.ofLongs(keyValues, keys.size(), 2));
            addSegment(values, keys);
            pending.clear();
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

    /** Maps segment {@code values} whose rows have {@code keys}, and indexes them. */
    private void addSegment(Path values, List<Key> keys) throws IOException {
        long expected = 4L * dimension * keys.size();
        try (FileChannel ch = FileChannels.openForReading(values)) {
            if (ch.size() != expected) {
                throw new MalformedFileException(values, ch.size() + " bytes where its keys need " + keys.size() + " rows of " + dimension
                        + " float32 values (" + expected + "); delete the folder to rebuild the cache");
            }
            segments.add(ch.map(FileChannel.MapMode.READ_ONLY, 0, expected).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
        }
        long segment = segments.size() - 1;
        for (int i = 0; i < keys.size(); i++) {
            stored.put(keys.get(i), segment << 32 | i);
        }
        String name = values.getFileName().toString();
        nextSegment = Math.max(nextSegment, Integer.parseInt(name.substring(0, 6)) + 1);
    }

    /** Reads the keys of the segments on disk once and maps their rows; a damaged segment is refused naming its file. */
    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path keysFile : s.filter(p -> p.getFileName().toString().matches("\\d{6}\\.keys\\.npy")).sorted().toList()) {
                NpyArray keys = Npy.read(keysFile);
                int[] ks = keys.shape();
                if (keys.type() != NpyType.INT64 || ks.length != 2 || ks[1] != 2) {
                    throw new MalformedFileException(keysFile, "not the keys of a feature segment (rows x 2 int64)");
                }
                ByteBuffer kb = ByteBuffer.wrap(keys.data()).order(ByteOrder.LITTLE_ENDIAN);
                List<Key> list = new ArrayList<>(ks[0]);
                for (int i = 0; i < ks[0]; i++) {
                    list.add(new Key(kb.getLong(16 * i), kb.getLong(16 * i + 8)));
                }
                addSegment(folder.resolve(keysFile.getFileName().toString().replace(".keys.npy", ".f32")), list);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the feature cache in " + folder + ": " + e.getMessage(), e);
        }
    }
}
