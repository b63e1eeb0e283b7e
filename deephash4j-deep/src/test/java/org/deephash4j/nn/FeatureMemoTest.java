package org.deephash4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frozen features' cache: rows by input content, written as segments, read back, damage refused. */
class FeatureMemoTest {

    @TempDir
    Path dir;

    @Test
    void keysFollowTheContentOnly() {
        float[] a = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] b = {9f, 0.1f, 0.2f, 0.3f, 0.4f};
        assertEquals(FeatureMemo.key(a, 0, 4), FeatureMemo.key(b, 1, 4), "same values, same key wherever they lie");
        float[] c = a.clone();
        c[3] = Math.nextUp(c[3]);
        assertNotEquals(FeatureMemo.key(a, 0, 4), FeatureMemo.key(c, 0, 4), "one ulp apart, another key");
        assertNotEquals(FeatureMemo.key(a, 0, 3), FeatureMemo.key(a, 0, 4), "the length is part of the key");
    }

    @Test
    void rowsSurviveAReopenAndAnInterruptedSegmentIsIgnored() throws Exception {
        FeatureMemo m = new FeatureMemo(dir, 3);
        int n = FeatureMemo.SEGMENT_ROWS + 5;
        for (int i = 0; i < n; i++) {
            m.put(FeatureMemo.key(new float[] {i}, 0, 1), new float[] {i, 2 * i, 3 * i});
        }
        assertTrue(Files.exists(dir.resolve("000000.keys.npy")), "a full segment is written at once");
        m.flush();
        // a crash between the values and the keys of a segment: the values alone are ignored
        java.nio.file.Files.write(dir.resolve("000002.f32"), new byte[12]);
        FeatureMemo reopened = new FeatureMemo(dir, 3);
        assertEquals(n, reopened.size());
        assertArrayEquals(new float[] {7, 14, 21}, reopened.get(FeatureMemo.key(new float[] {7}, 0, 1)));
        assertNull(reopened.get(FeatureMemo.key(new float[] {-1}, 0, 1)));
        assertThrows(IllegalArgumentException.class, () -> reopened.put(FeatureMemo.key(new float[] {1}, 0, 1), new float[2]));
    }

    @Test
    void aSegmentOfAnotherWidthIsRefusedNamingItsFile() throws Exception {
        FeatureMemo m = new FeatureMemo(dir, 3);
        m.put(FeatureMemo.key(new float[] {1}, 0, 1), new float[] {1, 2, 3});
        m.flush();
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> new FeatureMemo(dir, 4).size());
        assertTrue(e.getCause() instanceof MalformedFileException && e.getMessage().contains("000000.f32"), e.getMessage());
    }
}
