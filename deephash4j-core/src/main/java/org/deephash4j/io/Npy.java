package org.deephash4j.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 to 3.0, C or Fortran order). Supported element
 * types are those of {@link NpyType}; big-endian files are converted on reading. Files are written
 * in format 1.0, little-endian, atomically.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {
    }

    /**
     * Reads a whole {@code .npy} file. The header is parsed and its sizes checked against the file's
     * length before the data is allocated; Fortran-ordered data is converted to C order.
     */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannels.openForReading(file)) {
            return read(file, ch, ch.size());
        }
    }

    static NpyArray parse(Path file, byte[] bytes) throws IOException {
        return read(file, Channels.newChannel(new ByteArrayInputStream(bytes)), bytes.length);
    }

    private static NpyArray read(Path file, ReadableByteChannel in, long length) throws IOException {
        if (length < 10) {
            throw new MalformedFileException(file, "not a .npy file (only " + length + " bytes)");
        }
        ByteBuffer start = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        FileChannels.readFully(file, in, start);
        for (int i = 0; i < MAGIC.length; i++) {
            if (start.get(i) != MAGIC[i]) {
                throw new MalformedFileException(file, "not a .npy file (wrong magic; expected \\x93NUMPY)");
            }
        }
        int major = start.get(6) & 0xFF;
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = start.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            Sizes.available(file, ".npy header length", 12, length);
            ByteBuffer high = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
            FileChannels.readFully(file, in, high);
            headerLength = (start.getShort(8) & 0xFFFFL) | (high.getShort(0) & 0xFFFFL) << 16;
            headerStart = 12;
        } else {
            throw new MalformedFileException(file, "unsupported .npy format version " + major);
        }
        Sizes.count(file, ".npy header length", headerLength, NpyHeader.MAX_LENGTH);
        Sizes.available(file, "header", headerStart + headerLength, length);
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        FileChannels.readFully(file, in, headerBytes);
        NpyHeader header = NpyHeader.parse(file, new String(headerBytes.array(),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        String descr = header.descr();
        NpyType type = NpyType.ofDescr(descr);
        if (type == null) {
            throw new MalformedFileException(file, "unsupported element type '" + descr
                    + "' (supported: float32, float64, uint8, int8, int32, int64, bool)");
        }
        int[] shape = header.shape();
        long count = 1;
        for (int d : shape) {
            count = Sizes.product(file, "element count", count, d);
        }
        long expected = Sizes.product(file, "data size", count, type.size());
        Sizes.exactLength(file, Arrays.toString(shape) + " " + type + " elements and the header", headerStart + headerLength
                + expected, length);
        int bytes = Sizes.arrayLength(file, "the array's bytes", expected);
        ByteBuffer data = ByteBuffer.allocate(bytes);
        FileChannels.readFully(file, in, data);
        byte[] values = data.array();
        if (descr.charAt(0) == '>' && type.size() > 1) {
            swapBytes(values, type.size());
        }
        if (header.fortranOrder() && shape.length > 1) {
            values = toCOrder(values, shape, type.size());
        }
        return new NpyArray(type, shape, values);
    }

    /** Column-major element bytes reordered to row-major. */
    private static byte[] toCOrder(byte[] fortran, int[] shape, int width) {
        byte[] c = new byte[fortran.length];
        int rank = shape.length;
        long[] fortranStride = new long[rank];
        long stride = 1;
        for (int d = 0; d < rank; d++) {
            fortranStride[d] = stride;
            stride *= shape[d];
        }
        int[] index = new int[rank];
        long elements = fortran.length / width;
        for (long e = 0; e < elements; e++) {
            long from = 0;
            for (int d = 0; d < rank; d++) {
                from += index[d] * fortranStride[d];
            }
            System.arraycopy(fortran, (int) (from * width), c, (int) (e * width), width);
            for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        return c;
    }

    private static void swapBytes(byte[] data, int width) {
        for (int start = 0; start < data.length; start += width) {
            for (int i = 0, j = width - 1; i < j; i++, j--) {
                byte t = data[start + i];
                data[start + i] = data[start + j];
                data[start + j] = t;
            }
        }
    }

    /** Writes {@code array} to {@code file} atomically, in .npy format 1.0. */
    public static void write(Path file, NpyArray array) throws IOException {
        byte[] header = header(array);
        AtomicFiles.write(file, out -> {
            out.write(header);
            out.write(array.data());
        });
    }

    /** The bytes of a complete .npy file for {@code array}. */
    public static byte[] toBytes(NpyArray array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(array));
        out.writeBytes(array.data());
        return out.toByteArray();
    }

    private static byte[] header(NpyArray array) {
        int[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '" + array.type().descr() + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        byte[] out = new byte[MAGIC.length + 4 + text.length()];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) text.length();
        out[9] = (byte) (text.length() >>> 8);
        System.arraycopy(text.getBytes(StandardCharsets.ISO_8859_1), 0, out, 10, text.length());
        return out;
    }
}
