package org.deephash4j.codes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deephash4j.io.MalformedFileException;

/**
 * Reads codes from any file format deephash4j knows, told apart by content: its own {@code .dhc}
 * code files, or {@code .npy} matrices (packed {@code uint8} or {-1, +1} signs, see {@link CodesNpy}).
 */
public final class CodeFiles {

    private CodeFiles() {
    }

    /** Reads the codes in {@code file}; {@code order} is the bit order of packed {@code .npy} files. */
    public static BinaryCodes read(Path file, BitOrder order) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new MalformedFileException(file, "no such file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        if (java.util.Arrays.equals(head, CodeFile.MAGIC)) {
            return CodeFile.read(file);
        }
        if (head.length >= 6 && (head[0] & 0xFF) == 0x93 && head[1] == 'N' && head[2] == 'U') {
            return CodesNpy.read(file, order);
        }
        throw new MalformedFileException(file, "neither a deephash4j code file (.dhc) nor a NumPy .npy file");
    }

    /** Writes codes in the format the file name asks for: {@code .npy} packed, anything else {@code .dhc}. */
    public static void write(Path file, BinaryCodes codes, BitOrder order) throws IOException {
        if (file.getFileName().toString().endsWith(".npy")) {
            CodesNpy.writePacked(file, codes, order);
        } else {
            CodeFile.write(file, codes);
        }
    }
}
