package org.deephash4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The writing side of deephash4j's binary files: a magic string, then little-endian numbers through a
 * buffer that feeds a CRC32C of everything after the magic, then that CRC and an end marker. Readers
 * check the CRC before trusting any of it. Counts the bytes written so sections can be 8-byte aligned
 * for memory mapping.
 */
public final class ChecksummedOutput {

    private final OutputStream out;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    /** Starts a file on {@code out} with {@code magic}, which the checksum does not cover. */
    public ChecksummedOutput(OutputStream out, byte[] magic) throws IOException {
        this.out = out;
        out.write(magic);
        written = magic.length;
    }

    /** Bytes written so far, the magic included. */
    public long position() {
        return written + buffer.position();
    }

    public ChecksummedOutput putInt(int v) throws IOException {
        room(4);
        buffer.putInt(v);
        return this;
    }

    public ChecksummedOutput putLong(long v) throws IOException {
        room(8);
        buffer.putLong(v);
        return this;
    }

    /** Zero bytes up to the next multiple of {@code alignment} of {@link #position()}. */
    public ChecksummedOutput pad(int alignment) throws IOException {
        while (position() % alignment != 0) {
            room(1);
            buffer.put((byte) 0);
        }
        return this;
    }

    /** Writes the checksum of everything after the magic and the end marker, and flushes. */
    public void finish(byte[] endMarker) throws IOException {
        flush();
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        out.write(tail.array());
        out.write(endMarker);
        out.flush();
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        crc.update(buffer.array(), 0, buffer.position());
        written += buffer.position();
        buffer.clear();
    }
}
