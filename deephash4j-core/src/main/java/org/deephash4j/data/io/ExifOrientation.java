package org.deephash4j.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The EXIF orientation of a JPEG file (1 = as stored; 2-8 = mirrored and/or rotated, as cameras record
 * how they were held), and where each pixel of the stored image goes in the image as it is meant to be
 * seen. A missing or damaged EXIF block reads as 1: orientation is optional metadata, never a reason to
 * refuse an image.
 */
final class ExifOrientation {

    private static final int MAX_HEADER_BYTES = 1 << 17;
    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation recorded in {@code file}, 1 when there is none. */
    static int read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAX_HEADER_BYTES);
        }
        return parse(head);
    }

    static int parse(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return 1;
        }
        int p = 2;
        while (p + 4 <= b.length && (b[p] & 0xFF) == 0xFF) {
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return 1;
            }
            int length = u16(b, p + 2, true);
            if (length < 2) {
                return 1;
            }
            if (marker == 0xE1 && p + 10 <= b.length && b[p + 4] == 'E' && b[p + 5] == 'x' && b[p + 6] == 'i' && b[p + 7] == 'f') {
                return fromTiff(b, p + 10, Math.min(b.length, p + 2 + length));
            }
            p += 2 + length;
        }
        return 1;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 1;
        }
        boolean bigEndian = b[tiff] == 'M' && b[tiff + 1] == 'M';
        if (!bigEndian && !(b[tiff] == 'I' && b[tiff + 1] == 'I')) {
            return 1;
        }
        long ifd = u32(b, tiff + 4, bigEndian);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return 1;
        }
        int at = tiff + (int) ifd;
        int entries = u16(b, at, bigEndian);
        for (int e = 0; e < entries; e++) {
            int entry = at + 2 + 12 * e;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, bigEndian) == TAG_ORIENTATION) {
                int value = u16(b, entry + 8, bigEndian);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean bigEndian) {
        int x = b[at] & 0xFF;
        int y = b[at + 1] & 0xFF;
        return bigEndian ? x << 8 | y : y << 8 | x;
    }

    private static long u32(byte[] b, int at, boolean bigEndian) {
        long hi = u16(b, bigEndian ? at : at + 2, bigEndian);
        long lo = u16(b, bigEndian ? at + 2 : at, bigEndian);
        return hi << 16 | lo;
    }

    /**
     * Where pixel ({@code y}, {@code x}) of a stored image of {@code h x w} goes, as an index into the
     * oriented image (of {@code w x h} for orientations 5 to 8, which swap the axes).
     */
    static int target(int orientation, int y, int x, int h, int w) {
        return switch (orientation) {
            case 2 -> y * w + (w - 1 - x);
            case 3 -> (h - 1 - y) * w + (w - 1 - x);
            case 4 -> (h - 1 - y) * w + x;
            case 5 -> x * h + y;
            case 6 -> x * h + (h - 1 - y);
            case 7 -> (w - 1 - x) * h + (h - 1 - y);
            case 8 -> (w - 1 - x) * h + y;
            default -> y * w + x;
        };
    }
}
