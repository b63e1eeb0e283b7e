package org.deephash4j.hash;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.classic.Itq;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashModelsTest {

    @TempDir
    Path dir;

    Path file;
    byte[] bytes;

    @BeforeEach
    void save() throws IOException {
        float[] v = new float[60 * 10];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.37);
        }
        file = dir.resolve("m.dhm");
        HashModels.save(file, new Itq().fit(new FeatureMatrix(60, 10, v), 8, 0), Map.of());
        bytes = Files.readAllBytes(file);
    }

    private MalformedFileException refused(byte[] content) throws IOException {
        Files.write(file, content);
        return assertThrows(MalformedFileException.class, () -> HashModels.load(file));
    }

    @Test
    void truncatedModelIsRefused() throws IOException {
        assertTrue(refused(Arrays.copyOf(bytes, bytes.length - 9)).getMessage().contains("truncated"));
        refused(Arrays.copyOf(bytes, 12));
    }

    @Test
    void corruptedModelIsRefusedByItsChecksum() throws IOException {
        byte[] b = bytes.clone();
        b[b.length - 30] ^= 1;
        assertTrue(refused(b).getMessage().contains("checksum"));
    }

    @Test
    void foreignFileAndUnknownMethodAreRefused() throws IOException {
        assertTrue(refused("hello, I am a text file that is long enough".getBytes()).getMessage().contains("magic"));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\"method\":\"itq\"", "\"method\":\"xyz\"");
        byte[] renamed = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        MalformedFileException e = refused(renamed);
        assertTrue(e.getMessage().contains("checksum") || e.getMessage().contains("xyz"), e.getMessage());
    }

    @Test
    void futureVersionIsRefused() throws IOException {
        byte[] b = bytes.clone();
        b[8] = 2;
        assertTrue(refused(b).getMessage().contains("version 2"));
    }
}
