package org.deephash4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 to 3.0, C order). Supported element
 * types are those of {@link NpyType}; big-endian files are converted on reading. Files are written
 * in format 1.0, little-endian, atomically.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Reads a whole {@code .npy} file. */
    public static NpyArray read(Path file) throws IOException {
        long length = Files.size(file);
        if (length > Integer.MAX_VALUE - 64) {
            throw new MalformedFileException(file, "file of " + length + " bytes is too large for an in-memory .npy array");
        }
        return parse(file, Files.readAllBytes(file));
    }

    static NpyArray parse(Path file, byte[] bytes) throws MalformedFileException {
        if (bytes.length < 10) {
            throw new MalformedFileException(file, "not a .npy file (only " + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new MalformedFileException(file, "not a .npy file (wrong magic; expected \\x93NUMPY)");
            }
        }
        int major = bytes[6] & 0xFF;
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new MalformedFileException(file, "truncated .npy header");
            }
            headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8 | (bytes[10] & 0xFF) << 16 | (bytes[11] & 0xFF) << 24;
            headerStart = 12;
        } else {
            throw new MalformedFileException(file, "unsupported .npy format version " + major);
        }
        if (headerLength < 0 || headerStart + headerLength > bytes.length) {
            throw new MalformedFileException(file, "truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
            throw new MalformedFileException(file, "malformed .npy header: " + header.strip());
        }
        NpyType type = NpyType.of(descr.group(2).charAt(0), Integer.parseInt(descr.group(3)));
        if (type == null) {
            throw new MalformedFileException(file, "unsupported element type '" + descr.group(1) + descr.group(2)
                    + descr.group(3) + "' (supported: float32, float64, uint8, int8, int32, int64, bool)");
        }
        if (fortran.group(1).equals("True")) {
            throw new MalformedFileException(file, "Fortran-ordered arrays are not supported; save with C order "
                    + "(numpy.ascontiguousarray)");
        }
        int[] shape = parseShape(file, shapeMatch.group(1));
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        int dataStart = headerStart + headerLength;
        long expected = count * type.size();
        long actual = bytes.length - (long) dataStart;
        if (actual < expected) {
            throw new MalformedFileException(file, "truncated: shape " + java.util.Arrays.toString(shape) + " of "
                    + type + " needs " + expected + " data bytes, file has " + actual);
        }
        if (actual > expected) {
            throw new MalformedFileException(file, (actual - expected) + " unexpected bytes after the array data");
        }
        byte[] data = java.util.Arrays.copyOfRange(bytes, dataStart, dataStart + (int) expected);
        if (descr.group(1).equals(">") && type.size() > 1) {
            swapBytes(data, type.size());
        }
        return new NpyArray(type, shape, data);
    }

    private static int[] parseShape(Path file, String text) throws MalformedFileException {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new MalformedFileException(file, "dimension out of range: " + p);
                }
                dims.add((int) d);
            } catch (NumberFormatException e) {
                throw new MalformedFileException(file, "malformed shape (" + text + ")");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
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
