package org.deephash4j.codes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deephash4j.io.FileChannels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.io.NpyType;

/**
 * Reads codes from any file format deephash4j knows, told apart by content: its own {@code .dhc}
 * code files, or {@code .npy} matrices (packed {@code uint8} or {-1, +1} signs, see {@link CodesNpy}).
 * A {@code .npy} matrix has no room for item ids: they go to a companion vector {@code NAME.ids.npy}
 * (int64) beside {@code NAME.npy}, written with the codes and read when present (else ids are 0..n-1).
 */
public final class CodeFiles {

    private CodeFiles() {
    }

    /** Reads the codes in {@code file}; {@code order} is the bit order of packed {@code .npy} files. */
    public static BinaryCodes read(Path file, BitOrder order) throws IOException {
        byte[] head;
        try (FileChannel ch = FileChannels.openForReading(file)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(8, ch.size()));
            FileChannels.readFully(file, ch, b, 0);
            head = b.array();
        }
        if (java.util.Arrays.equals(head, CodeFile.MAGIC)) {
            return CodeFile.read(file);
        }
        if (head.length >= 6 && (head[0] & 0xFF) == 0x93 && head[1] == 'N' && head[2] == 'U') {
            BinaryCodes codes = CodesNpy.read(file, order);
            Path ids = idsFile(file);
            if (!Files.isRegularFile(ids)) {
                return codes;
            }
            NpyArray a = Npy.read(ids);
            if (a.rank() != 1 || a.size() != codes.size() || (a.type() != NpyType.INT64 && a.type() != NpyType.INT32)) {
                throw new MalformedFileException(ids, "the ids of " + file.getFileName() + " must be an int64 vector of "
                        + codes.size() + ", found " + a.type() + " of shape " + java.util.Arrays.toString(a.shape()));
            }
            try {
                return codes.withIds(a.toLongArray());
            } catch (IllegalArgumentException e) {
                throw new MalformedFileException(ids, e.getMessage());
            }
        }
        throw new MalformedFileException(file, "neither a deephash4j code file (.dhc) nor a NumPy .npy file");
    }

    /**
     * Writes codes in the format the file name asks for: {@code .npy} packed (with the ids in
     * {@code NAME.ids.npy}), anything else {@code .dhc}.
     */
    public static void write(Path file, BinaryCodes codes, BitOrder order) throws IOException {
        if (file.getFileName().toString().endsWith(".npy")) {
            Npy.write(idsFile(file), NpyArray.ofLongs(codes.ids(), codes.size()));
            CodesNpy.writePacked(file, codes, order);
        } else {
            CodeFile.write(file, codes);
        }
    }

    /** The companion file of {@code codes} ({@code NAME.npy}) holding its ids: {@code NAME.ids.npy}. */
    public static Path idsFile(Path codes) {
        String name = codes.getFileName().toString();
        return codes.resolveSibling(name.substring(0, name.length() - ".npy".length()) + ".ids.npy");
    }
}
