package org.deephash4j.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.index.IndexType;
import org.deephash4j.index.Indexes;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.MalformedFileException;

/**
 * One named index of the service, durable in its own folder and searchable while it is written.
 *
 * <p>Durability follows Lucene's commit point. The folder holds {@code index.json} (the settings),
 * {@code commit} (the committed generation g), the snapshot of generation g ({@code snapshot-g.dhi},
 * the codes as an index file, and {@code snapshot-g.items}, labels and metadata) and the log of every
 * write since ({@code wal-g.log}, {@link WriteAheadLog}). A write is appended to the log and forced to
 * disk before it is applied and acknowledged. When the log grows past {@link #SNAPSHOT_LOG_BYTES}, the
 * index is written as snapshot g+1 with an empty log g+1, then {@code commit} is replaced atomically,
 * and only then are generation g's files deleted: a crash at any point leaves one complete generation
 * that {@code commit} names. Opening loads that snapshot, replays its log and removes files of any
 * other generation.
 *
 * <p>Concurrency: searches read an immutable {@link Segments} state; writes are serialised per index,
 * and each publishes a new state in one volatile write.
 */
public final class ServedIndex implements Closeable {

    /** What an index is: its name, code length, index type and the model that encodes its images (null: codes only). */
    public record Settings(String name, int bits, String type, String model) {
        public Settings {
            checkName(name);
            BinaryCodes.checkBits(bits);
            IndexType.parse(type);
        }
    }

    /** Log size at which the index is snapshotted and the log restarted. */
    static final long SNAPSHOT_LOG_BYTES = 32L << 20;
    /** Pending writes at which the delta is merged into a new base (at least; more for large indexes). */
    static final int MERGE_AT = 16_384;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern GENERATION_FILE = Pattern.compile("(snapshot|wal)-(\\d+)\\.(dhi|items|log)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String THUMBNAILS = "thumbs";
    private static final Pattern THUMBNAIL_FILE = Pattern.compile("(\\d{1,19})\\.jpg");

    private final Path dir;
    private final Settings settings;
    private final IndexType type;
    private final Object writeLock = new Object();
    private volatile Segments state;
    private WriteAheadLog log;
    private long generation;
    private final long droppedBytes;
    /**
     * The ids whose thumbnail file exists: listed from the folder at open and kept with every put and
     * delete, so that listing a search's hits checks no file.
     */
    private final Set<Long> thumbnailIds;

    private ServedIndex(Path dir, Settings settings, Segments state, WriteAheadLog log, long generation) throws IOException {
        this.dir = dir;
        this.settings = settings;
        this.type = IndexType.parse(settings.type());
        this.state = state;
        this.log = log;
        this.generation = generation;
        this.droppedBytes = log.droppedBytes();
        this.thumbnailIds = storedThumbnails(dir.resolve(THUMBNAILS));
    }

    private static Set<Long> storedThumbnails(Path folder) throws IOException {
        Set<Long> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        if (Files.isDirectory(folder)) {
            try (java.util.stream.Stream<Path> files = Files.list(folder)) {
                files.map(f -> THUMBNAIL_FILE.matcher(f.getFileName().toString())).filter(java.util.regex.Matcher::matches)
                        .map(m -> new java.math.BigInteger(m.group(1))).filter(id -> id.bitLength() < Long.SIZE)
                        .forEach(id -> ids.add(id.longValue()));
            }
        }
        return ids;
    }

    /** Refuses a name that is not 1-64 of a-z, 0-9, '_' and '-' starting with a letter or digit (so it is a safe folder name). */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("index names are 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or "
                    + "digit; got '" + name + "'");
        }
    }

    /** Creates a new, empty index in {@code dir}, which must not exist. */
    public static ServedIndex create(Path dir, Settings settings) throws IOException {
        Files.createDirectory(dir);
        byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(settings);
        AtomicFiles.write(dir.resolve("index.json"), out -> out.write(json));
        writeCommit(dir, 0);
        return open(dir);
    }

    /** Opens the index in {@code dir}: its committed snapshot, then its log. */
    public static ServedIndex open(Path dir) throws IOException {
        Settings settings;
        long generation;
        try {
            settings = JSON.readValue(dir.resolve("index.json").toFile(), Settings.class);
            generation = JSON.readTree(dir.resolve("commit").toFile()).get("generation").asLong(-1);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedFileException(dir, "not a readable index folder: " + e.getMessage());
        }
        if (generation < 0) {
            throw new MalformedFileException(dir.resolve("commit"), "no generation");
        }
        removeOtherGenerations(dir, generation);
        Segments base;
        IndexType type = IndexType.parse(settings.type());
        if (generation == 0) {
            base = Segments.of(Indexes.create(type, settings.bits()), Map.of());
        } else {
            HammingIndex codes = IndexFile.load(dir.resolve("snapshot-" + generation + ".dhi"));
            if (codes.bits() != settings.bits()) {
                throw new MalformedFileException(dir, "snapshot of " + codes.bits() + " bits for an index of " + settings.bits());
            }
            Map<Long, Item> items = new java.util.HashMap<>();
            WriteAheadLog.readAll(dir.resolve("snapshot-" + generation + ".items"), settings.bits(), r -> {
                if (r instanceof LogRecord.Details d) {
                    items.put(d.item().id(), d.item());
                }
            });
            base = Segments.of(codes, items);
        }
        List<LogRecord> replayed = new ArrayList<>();
        WriteAheadLog log = WriteAheadLog.open(dir.resolve("wal-" + generation + ".log"), settings.bits(), replayed::add);
        return new ServedIndex(dir, settings, base.applyAll(replayed), log, generation);
    }

    private static void writeCommit(Path dir, long generation) throws IOException {
        AtomicFiles.writeString(dir.resolve("commit"), "{\"generation\": " + generation + "}\n");
    }

    private static void removeOtherGenerations(Path dir, long keep) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = GENERATION_FILE.matcher(f.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(2)) != keep) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    public int size() {
        return state.size();
    }

    /** Bytes cut off the log's end when the index was opened: a write torn by a crash, never acknowledged. */
    public long droppedLogBytes() {
        return droppedBytes;
    }

    /** An item and its code, as stored. */
    public record StoredItem(Item item, BinaryCodes code) {
    }

    public Optional<StoredItem> get(long id) {
        return state.get(id).map(s -> new StoredItem(s.item(), BinaryCodes.of(settings.bits(), s.words(), new long[] {id})));
    }

    public boolean contains(long id) {
        return state.contains(id);
    }

    /** The labels and metadata of {@code id} as the state a search ran on has them. */
    public Item item(long id) {
        return state.item(id);
    }

    /** A consistent view for one request: searches and item lookups on the same state. */
    public View view() {
        return new View(state);
    }

    /** Searches and lookups on one state of the index. */
    public static final class View {
        private final Segments s;

        private View(Segments s) {
            this.s = s;
        }

        /** The k nearest items to {@code code} (only items with one of {@code labels}, unless empty). */
        public List<Hit> search(BinaryCodes code, int k, Set<Integer> labels) {
            return s.search(code.words(), k, labels);
        }

        /** Items within {@code radius} of {@code code}, at most {@code limit}. */
        public List<Hit> within(BinaryCodes code, int radius, Set<Integer> labels, int limit) {
            return s.within(code.words(), radius, labels, limit);
        }

        public Item item(long id) {
            return s.item(id);
        }
    }

    /**
     * Adds or replaces items with their codes, all or none: with {@code upsert} false an id already
     * present is refused ({@link IllegalStateException}) before anything is written. Returns once the
     * writes are on disk.
     */
    public void put(List<Item> items, BinaryCodes codes, boolean upsert) throws IOException {
        put(items, codes, upsert, Map.of());
    }

    /**
     * As {@link #put(List, BinaryCodes, boolean)}, also storing JPEG thumbnails by id; they are on disk
     * before the write is logged, so an acknowledged item's thumbnail is there after a crash.
     */
    public void put(List<Item> items, BinaryCodes codes, boolean upsert, Map<Long, byte[]> thumbnails) throws IOException {
        if (codes.bits() != settings.bits()) {
            throw new IllegalArgumentException("codes of " + codes.bits() + " bits for an index of " + settings.bits() + " bits");
        }
        if (codes.size() != items.size()) {
            throw new IllegalArgumentException(items.size() + " items with " + codes.size() + " codes");
        }
        int wpc = codes.wordsPerCode();
        List<LogRecord> records = new ArrayList<>(items.size());
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (!seen.add(items.get(i).id())) {
                throw new IllegalArgumentException("id " + items.get(i).id() + " is repeated in the request");
            }
            records.add(new LogRecord.Put(items.get(i), java.util.Arrays.copyOfRange(codes.words(), i * wpc, (i + 1) * wpc)));
        }
        synchronized (writeLock) {
            if (!upsert) {
                for (Item item : items) {
                    if (state.contains(item.id())) {
                        throw new IllegalStateException("item " + item.id() + " already exists in index '" + settings.name()
                                + "' (use upsert to replace it)");
                    }
                }
            }
            if (!thumbnails.isEmpty()) {
                Files.createDirectories(dir.resolve(THUMBNAILS));
                for (Map.Entry<Long, byte[]> t : thumbnails.entrySet()) {
                    AtomicFiles.write(thumbnailFile(t.getKey()), out -> out.write(t.getValue()));
                    thumbnailIds.add(t.getKey());
                }
            }
            write(records);
        }
    }

    private Path thumbnailFile(long id) {
        return dir.resolve(THUMBNAILS).resolve(id + ".jpg");
    }

    /** The stored thumbnail of item {@code id}, if it has one. */
    public Optional<Path> thumbnail(long id) {
        return state.contains(id) && thumbnailIds.contains(id) ? Optional.of(thumbnailFile(id)) : Optional.empty();
    }

    /** Deletes {@code id}; returns whether it was present. */
    public boolean delete(long id) throws IOException {
        synchronized (writeLock) {
            if (!state.contains(id)) {
                return false;
            }
            write(List.of(new LogRecord.Delete(id)));
            Files.deleteIfExists(thumbnailFile(id));
            thumbnailIds.remove(id);
            return true;
        }
    }

    private void write(List<LogRecord> records) throws IOException {
        assert Thread.holdsLock(writeLock);
        log.append(records);
        Segments next = state.applyAll(records);
        if (next.pending() >= Math.max(MERGE_AT, next.size() / 8)) {
            next = next.merged(type);
        }
        state = next;
        if (log.bytes() >= SNAPSHOT_LOG_BYTES) {
            snapshot();
        }
    }

    /** Writes the index as the next generation's snapshot with an empty log, then commits it. */
    public void snapshot() throws IOException {
        synchronized (writeLock) {
            long next = generation + 1;
            Segments merged = state.merged(type);
            IndexFile.save(dir.resolve("snapshot-" + next + ".dhi"), merged.base());
            List<LogRecord> details = new ArrayList<>();
            merged.itemsWithContent().forEach(item -> details.add(new LogRecord.Details(item)));
            WriteAheadLog.writeAll(dir.resolve("snapshot-" + next + ".items"), settings.bits(), details);
            Path nextLog = dir.resolve("wal-" + next + ".log");
            Files.deleteIfExists(nextLog);
            WriteAheadLog fresh = WriteAheadLog.open(nextLog, settings.bits(), r -> {
                throw new IllegalStateException("a new log has records");
            });
            writeCommit(dir, next);
            state = merged;
            WriteAheadLog old = log;
            log = fresh;
            generation = next;
            old.close();
            removeOtherGenerations(dir, next);
        }
    }

    /** Snapshot generation committed, and the log's size since. */
    public record Stats(String name, int bits, String type, String model, int items, int pending, long generation, long logBytes,
            long logRecords) {
    }

    public Stats stats() {
        synchronized (writeLock) {
            Segments s = state;
            return new Stats(settings.name(), settings.bits(), settings.type(), settings.model(), s.size(), s.pending(), generation,
                    log.bytes(), log.records());
        }
    }

    /** Snapshots the index if its log holds writes, and closes the log. */
    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            if (log.records() > 0) {
                snapshot();
            }
            log.close();
        }
    }

    /** Closes the log without a snapshot, for an index about to be deleted; later writes fail. */
    void discard() throws IOException {
        synchronized (writeLock) {
            log.close();
        }
    }

    /** The folder of this index. */
    public Path folder() {
        return dir;
    }
}
