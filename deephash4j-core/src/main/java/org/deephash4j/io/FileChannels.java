package org.deephash4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Checksum;

/**
 * Reading parts of a file at a position, in bounded chunks, so that a file of any length (over 2 GiB
 * included) is read without one byte array as large as the file.
 */
public final class FileChannels {

    private static final int CHUNK = 1 << 20;

    private FileChannels() {
    }

    /**
     * Opens {@code file} for reading; a folder is refused by name (the operating system would open it
     * and fail later with a message such as "No such device").
     */
    public static FileChannel openForReading(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a folder, not a file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Fills {@code buffer} from {@code position}; a file that ends early is refused as truncated. */
    public static void readFully(Path file, FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int r = ch.read(buffer, pos);
            if (r < 0) {
                throw new MalformedFileException(file, "truncated: the file ended at byte " + pos);
            }
            pos += r;
        }
    }

    /** Fills {@code buffer} from the channel's current position, for a stream read from start to end. */
    public static void readFully(Path file, ReadableByteChannel in, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw new MalformedFileException(file, "truncated: the file ended early");
            }
        }
    }

    /** Receives one chunk of a file's bytes, little-endian, positioned at its start. */
    @FunctionalInterface
    private interface ChunkReader {
        void accept(ByteBuffer chunk, int done, int count);
    }

    /**
     * Reads {@code dest.length} little-endian 64-bit values from {@code position}, feeding their bytes to
     * {@code checksum}; returns the position after them.
     */
    public static long readLongs(Path file, FileChannel ch, long position, long[] dest, Checksum checksum) throws IOException {
        return read(file, ch, position, dest.length, 8, checksum, (chunk, done, n) -> chunk.asLongBuffer().get(dest, done, n));
    }

    /** As {@link #readLongs}, for 64-bit floating-point values. */
    public static long readDoubles(Path file, FileChannel ch, long position, double[] dest, Checksum checksum)
            throws IOException {
        return read(file, ch, position, dest.length, 8, checksum, (chunk, done, n) -> chunk.asDoubleBuffer().get(dest, done, n));
    }

    /** As {@link #readLongs}, for bytes. */
    public static long readBytes(Path file, FileChannel ch, long position, byte[] dest, Checksum checksum) throws IOException {
        return read(file, ch, position, dest.length, 1, checksum, (chunk, done, n) -> chunk.get(dest, done, n));
    }

    private static long read(Path file, FileChannel ch, long position, int count, int width, Checksum checksum,
            ChunkReader reader) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(width, (long) count * width)))
                .order(ByteOrder.LITTLE_ENDIAN);
        long pos = position;
        int done = 0;
        while (done < count) {
            int n = Math.min(chunk.capacity() / width, count - done);
            chunk.clear().limit(n * width);
            readFully(file, ch, chunk, pos);
            checksum.update(chunk.array(), 0, n * width);
            chunk.flip();
            reader.accept(chunk, done, n);
            done += n;
            pos += (long) n * width;
        }
        return pos;
    }
}
