package org.deephash4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests of files and streams, as lower-case hex. */
public final class Checksums {

    private Checksums() {
    }

    /** SHA-256 of everything {@code in} yields; also counts the bytes into {@code size[0]} if given. */
    public static String sha256(InputStream in, long[] size) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            md.update(buf, 0, r);
            total += r;
        }
        if (size != null) {
            size[0] = total;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in, null);
        }
    }
}
