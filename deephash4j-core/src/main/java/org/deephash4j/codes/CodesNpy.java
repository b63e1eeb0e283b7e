package org.deephash4j.codes;

import java.io.IOException;
import java.nio.file.Path;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.io.NpyType;

/**
 * Exchanges codes with NumPy and Faiss through {@code .npy} files, in two layouts:
 * <ul>
 *   <li>packed: a {@code uint8} matrix of {@code n x bits/8}, as {@code numpy.packbits} (bit order
 *       {@link BitOrder#BIG}) or Faiss ({@link BitOrder#LITTLE}) make it;</li>
 *   <li>signs: an {@code n x bits} matrix of -1 / +1 ({@code int8}, or float with the sign rule
 *       {@code v >= 0} is bit 1).</li>
 * </ul>
 * Item ids are not part of these layouts; they are 0..n-1 unless given.
 */
public final class CodesNpy {

    /** The two layouts. */
    public enum Layout { PACKED, SIGNS }

    private CodesNpy() {
    }

    /** Writes codes as a packed {@code uint8} matrix. */
    public static void writePacked(Path file, BinaryCodes codes, BitOrder order) throws IOException {
        Npy.write(file, NpyArray.ofBytes(NpyType.UINT8, codes.toPackedBytes(order), codes.size(), codes.bits() / 8));
    }

    /** Writes codes as an {@code int8} matrix of -1 / +1. */
    public static void writeSigns(Path file, BinaryCodes codes) throws IOException {
        Npy.write(file, NpyArray.ofBytes(NpyType.INT8, codes.toSigns(), codes.size(), codes.bits()));
    }

    /** Reads a packed {@code uint8} matrix ({@code n x bits/8}). */
    public static BinaryCodes readPacked(Path file, BitOrder order) throws IOException {
        return packed(file, Npy.read(file), order);
    }

    private static BinaryCodes packed(Path file, NpyArray a, BitOrder order) throws MalformedFileException {
        if (a.type() != NpyType.UINT8 || a.rank() != 2) {
            throw new MalformedFileException(file, "packed codes must be a 2-D uint8 array, found " + a.type() + " of rank " + a.rank());
        }
        try {
            return BinaryCodes.fromPackedBytes(a.data(), a.columns() * 8, order, null);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, e.getMessage());
        }
    }

    /** Reads an {@code n x bits} matrix of signs (int8 -1/+1, or float32/float64 by the sign rule). */
    public static BinaryCodes readSigns(Path file) throws IOException {
        return signs(file, Npy.read(file));
    }

    private static BinaryCodes signs(Path file, NpyArray a) throws MalformedFileException {
        if (a.rank() != 2) {
            throw new MalformedFileException(file, "sign codes must be a 2-D array, found rank " + a.rank());
        }
        if (a.type() == NpyType.INT8) {
            byte[] d = a.data();
            for (int i = 0; i < d.length; i++) {
                if (d[i] != 1 && d[i] != -1) {
                    throw new MalformedFileException(file, "value " + d[i] + " at row " + i / a.columns() + ", column "
                            + i % a.columns() + " is neither -1 nor +1");
                }
            }
        } else if (a.type() != NpyType.FLOAT32 && a.type() != NpyType.FLOAT64) {
            throw new MalformedFileException(file, "sign codes must be int8, float32 or float64, found " + a.type());
        }
        try {
            return BinaryCodes.fromSigns(a.toFloatArray(), a.columns(), null);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, e.getMessage());
        }
    }

    /** Reads either layout, told apart by element type: uint8 is packed, anything else signs. */
    public static BinaryCodes read(Path file, BitOrder order) throws IOException {
        NpyArray a = Npy.read(file);
        return a.type() == NpyType.UINT8 ? packed(file, a, order) : signs(file, a);
    }
}
