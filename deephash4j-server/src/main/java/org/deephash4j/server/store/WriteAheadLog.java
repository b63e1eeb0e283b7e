package org.deephash4j.server.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.MalformedFileException;

/**
 * An index's append-only log of writes. Each record is framed as {@code u32 length | u32 CRC32C |
 * payload} (little-endian), and {@link #append} forces the records to disk before it returns, so an
 * acknowledged write survives a crash of the process or the machine. On opening, the log is replayed
 * record by record; a record cut short or failing its checksum can only be the last one, torn by a
 * crash mid-write, and is cut off the file (never replayed), as is everything after it.
 *
 * <p>Payload: {@code u8 kind} (1 put, 2 details, 3 delete), {@code i64 id}; a put then has the code's
 * words ({@code i64} each); a put or details record then {@code u16} labels ({@code i32} each) and
 * {@code u16} metadata entries (each {@code u16} length and UTF-8 bytes of key, then of value).
 * Snapshot item files ({@link #writeAll}) use the same framing and are read strictly.
 */
final class WriteAheadLog implements Closeable {

    /** The longest payload a record can have: a 1,024-bit code and an item at its limits fit. */
    static final int MAX_PAYLOAD = 512 * 1024;
    private static final byte PUT = 1;
    private static final byte DETAILS = 2;
    private static final byte DELETE = 3;

    private final Path file;
    private final FileChannel channel;
    private final int wordsPerCode;
    private long bytes;
    private long records;
    private final long droppedBytes;

    private WriteAheadLog(Path file, FileChannel channel, int wordsPerCode, long bytes, long records, long droppedBytes) {
        this.file = file;
        this.channel = channel;
        this.wordsPerCode = wordsPerCode;
        this.bytes = bytes;
        this.records = records;
        this.droppedBytes = droppedBytes;
    }

    /**
     * Opens (creating if absent) the log of an index of {@code bits}-bit codes, passing every complete
     * record to {@code replay} in order and cutting a torn tail off.
     */
    static WriteAheadLog open(Path file, int bits, Consumer<LogRecord> replay) throws IOException {
        int wpc = BinaryCodes.wordsFor(bits);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            long[] count = new long[1];
            long good = scan(file, ch, size, wpc, false, r -> {
                replay.accept(r);
                count[0]++;
            });
            if (good < size) {
                ch.truncate(good);
                ch.force(true);
            }
            ch.position(good);
            return new WriteAheadLog(file, ch, wpc, good, count[0], size - good);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Bytes cut off the end when the log was opened (a record torn by a crash). */
    long droppedBytes() {
        return droppedBytes;
    }

    /** Size of the log in bytes. */
    long bytes() {
        return bytes;
    }

    /** Records in the log. */
    long records() {
        return records;
    }

    /** Appends {@code batch} and forces it to disk. */
    void append(List<LogRecord> batch) throws IOException {
        List<byte[]> framed = new ArrayList<>(batch.size());
        int total = 0;
        for (LogRecord r : batch) {
            byte[] f = frame(encode(r, wordsPerCode));
            framed.add(f);
            total += f.length;
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        framed.forEach(all::put);
        all.flip();
        while (all.hasRemaining()) {
            channel.write(all);
        }
        channel.force(false);
        bytes += total;
        records += batch.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Writes {@code all} as a complete file of records, atomically (a snapshot's items). */
    static void writeAll(Path target, int bits, Iterable<LogRecord> all) throws IOException {
        int wpc = BinaryCodes.wordsFor(bits);
        AtomicFiles.write(target, out -> {
            for (LogRecord r : all) {
                out.write(frame(encode(r, wpc)));
            }
        });
    }

    /** Reads a file {@link #writeAll} wrote, refusing one with any damaged record. */
    static void readAll(Path source, int bits, Consumer<LogRecord> each) throws IOException {
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
            scan(source, ch, ch.size(), BinaryCodes.wordsFor(bits), true, each);
        }
    }

    /**
     * Reads records from the start; returns the offset after the last complete, intact one. With
     * {@code strict}, a damaged record is an error instead of the end.
     */
    private static long scan(Path file, FileChannel ch, long size, int wpc, boolean strict, Consumer<LogRecord> each)
            throws IOException {
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long pos = 0;
        while (pos < size) {
            String damage = null;
            LogRecord record = null;
            int length = 0;
            if (size - pos < 8) {
                damage = "a record header cut short";
            } else {
                head.clear();
                readFully(ch, head, pos);
                length = head.getInt(0);
                int crc = head.getInt(4);
                if (length <= 0 || length > MAX_PAYLOAD) {
                    damage = "a record length of " + Integer.toUnsignedString(length);
                } else if (size - pos - 8 < length) {
                    damage = "a record cut short";
                } else {
                    ByteBuffer payload = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(ch, payload, pos + 8);
                    CRC32C c = new CRC32C();
                    c.update(payload.array());
                    if ((int) c.getValue() != crc) {
                        damage = "a record failing its checksum";
                    } else {
                        try {
                            record = decode(payload.rewind(), wpc);
                        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
                            throw new MalformedFileException(file, "record at byte " + pos + " is malformed under a valid checksum: "
                                    + e.getMessage());
                        }
                    }
                }
            }
            if (damage != null) {
                if (strict) {
                    throw new MalformedFileException(file, damage + " at byte " + pos);
                }
                return pos;
            }
            each.accept(record);
            pos += 8 + length;
        }
        return pos;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new java.io.EOFException();
            }
        }
    }

    private static byte[] frame(byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(payload);
        return ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN).putInt(payload.length)
                .putInt((int) c.getValue()).put(payload).array();
    }

    static byte[] encode(LogRecord r, int wpc) {
        ByteBuffer b = ByteBuffer.allocate(upperBound(r, wpc)).order(ByteOrder.LITTLE_ENDIAN);
        switch (r) {
            case LogRecord.Put p -> {
                if (p.words().length != wpc) {
                    throw new IllegalArgumentException("a code of " + p.words().length + " words where the index has " + wpc);
                }
                b.put(PUT).putLong(p.item().id());
                for (long w : p.words()) {
                    b.putLong(w);
                }
                putDetails(b, p.item());
            }
            case LogRecord.Details d -> putDetails(b.put(DETAILS).putLong(d.item().id()), d.item());
            case LogRecord.Delete d -> b.put(DELETE).putLong(d.id());
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** At least the bytes {@link #encode} writes (UTF-8 takes at most 3 bytes per Java char). */
    private static int upperBound(LogRecord r, int wpc) {
        Item item = switch (r) {
            case LogRecord.Put p -> p.item();
            case LogRecord.Details d -> d.item();
            case LogRecord.Delete d -> null;
        };
        int n = 9 + 8 * wpc;
        if (item != null) {
            n += 4 + 4 * item.labels().size();
            for (Map.Entry<String, String> e : item.metadata().entrySet()) {
                n += 4 + 3 * (e.getKey().length() + e.getValue().length());
            }
        }
        return n;
    }

    private static void putDetails(ByteBuffer b, Item item) {
        b.putShort((short) item.labels().size());
        item.labels().forEach(b::putInt);
        b.putShort((short) item.metadata().size());
        item.metadata().forEach((k, v) -> {
            putString(b, k);
            putString(b, v);
        });
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) u.length).put(u);
    }

    static LogRecord decode(ByteBuffer b, int wpc) {
        byte kind = b.get();
        long id = b.getLong();
        LogRecord r = switch (kind) {
            case PUT -> {
                long[] words = new long[wpc];
                for (int i = 0; i < wpc; i++) {
                    words[i] = b.getLong();
                }
                yield new LogRecord.Put(details(b, id), words);
            }
            case DETAILS -> new LogRecord.Details(details(b, id));
            case DELETE -> new LogRecord.Delete(id);
            default -> throw new IllegalArgumentException("unknown record kind " + kind);
        };
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " bytes after the record");
        }
        return r;
    }

    private static Item details(ByteBuffer b, long id) {
        int nLabels = Short.toUnsignedInt(b.getShort());
        if (nLabels > Item.MAX_LABELS) {
            throw new IllegalArgumentException(nLabels + " labels");
        }
        List<Integer> labels = new ArrayList<>(nLabels);
        for (int i = 0; i < nLabels; i++) {
            labels.add(b.getInt());
        }
        int nMeta = Short.toUnsignedInt(b.getShort());
        if (nMeta > Item.MAX_METADATA) {
            throw new IllegalArgumentException(nMeta + " metadata entries");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < nMeta; i++) {
            meta.put(getString(b), getString(b));
        }
        return new Item(id, labels, meta);
    }

    private static String getString(ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        if (n > b.remaining()) {
            throw new IllegalArgumentException("a string of " + n + " bytes past the record's end");
        }
        byte[] u = new byte[n];
        b.get(u);
        return new String(u, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "WriteAheadLog[" + file + ", " + records + " records, " + bytes + " bytes]";
    }
}
