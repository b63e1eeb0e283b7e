package org.deephash4j.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens files that may or may not be gzip-compressed, told apart by the gzip magic, not the name. */
public final class CompressedFiles {

    private CompressedFiles() {
    }

    /** A buffered stream of the file's content, decompressed if it starts with the gzip magic. */
    public static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 != 0x1f || b1 != 0x8b) {
            return in;
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw new MalformedFileException(file, "corrupt gzip data: " + e.getMessage(), e);
        }
    }
}
