package org.deephash4j.data.fetch;

/**
 * One file of a known data set: its canonical name (without {@code .gz}), and the size and SHA-256
 * of its decompressed content, so raw and gzip copies verify alike.
 */
public record ExpectedFile(String name, long size, String sha256) {
}
