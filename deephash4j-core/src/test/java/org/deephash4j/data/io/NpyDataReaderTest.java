package org.deephash4j.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.deephash4j.testing.Fixtures;
import org.deephash4j.data.LabeledFeatures;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.io.NpyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyDataReaderTest {

    @TempDir
    Path dir;

    @Test
    void featuresWithClassIndexLabels() throws IOException {
        LabeledFeatures d = NpyDataReader.read("f", Fixtures.npy("features_float64.npy"),
                Fixtures.npy("labels_int64.npy"));
        assertEquals(4, d.size());
        assertEquals(3, d.features().columns());
        assertEquals(0.25f, d.features().get(1, 2), 1e-7);
        assertEquals(3, d.labels().numClasses());
        assertArrayEquals(new int[] {2}, d.labels().classesOf(3));
    }

    @Test
    void uint8FeaturesAndMultiHotLabels() throws IOException {
        assertEquals(11f, NpyDataReader.readFeatures(Fixtures.npy("features_uint8.npy")).get(3, 2));
        MultiHotLabels l = NpyDataReader.readLabels(Fixtures.npy("labels_multihot.npy"), 0);
        assertArrayEquals(new int[] {0, 2}, l.classesOf(0));
        assertArrayEquals(new int[] {}, l.classesOf(1));
        assertArrayEquals(new int[] {0, 1, 2}, l.classesOf(3));
    }

    @Test
    void nanFeatureIsNamed() throws IOException {
        Path f = dir.resolve("nan.npy");
        Npy.write(f, NpyArray.ofFloats(new float[] {1, 2, 3, Float.NaN}, 2, 2));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> NpyDataReader.readFeatures(f));
        assertTrue(e.getMessage().contains("row 1, column 1"), e.getMessage());
    }

    @Test
    void wrongShapesAndValuesAreRefused() throws IOException {
        Path f = dir.resolve("a.npy");
        Npy.write(f, NpyArray.ofFloats(new float[] {1, 2, 3}, 3));
        assertThrows(MalformedFileException.class, () -> NpyDataReader.readFeatures(f));
        assertThrows(MalformedFileException.class, () -> NpyDataReader.readLabels(f, 0));
        Npy.write(f, NpyArray.ofBytes(NpyType.UINT8, new byte[] {0, 2, 1, 1}, 2, 2));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> NpyDataReader.readLabels(f, 0));
        assertTrue(e.getMessage().contains("row 0, column 1"), e.getMessage());
        Npy.write(f, NpyArray.ofLongs(new long[] {0, -1}, 2));
        assertThrows(MalformedFileException.class, () -> NpyDataReader.readLabels(f, 0));
        Npy.write(f, NpyArray.ofLongs(new long[] {0, 5}, 2));
        assertThrows(MalformedFileException.class, () -> NpyDataReader.readLabels(f, 3));
    }

    @Test
    void rowCountMismatchIsRefused() {
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> NpyDataReader.read("x",
                Fixtures.npy("features_float64.npy"), Fixtures.npy("signs_int8.npy")));
        assertTrue(e.getMessage().contains("labels") || e.getMessage().contains("0 or 1"), e.getMessage());
    }
}
