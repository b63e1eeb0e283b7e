package org.deephash4j.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void readLoadableDescribesAModelWithoutBuildingItAndRefusesAnUnknownMethod() throws IOException {
        ModelContents itq = HashModels.readLoadable(file);
        assertEquals(8, itq.bits());
        assertEquals(10, itq.inputDimension());
        Path foreign = dir.resolve("xyz.dhm");
        HashModels.write(foreign, new ModelContents("xyz", 8, 10, Map.of(), Map.of("w", new double[] {1, 2})));
        assertEquals("xyz", HashModels.read(foreign).method(), "the format itself is sound");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> HashModels.readLoadable(foreign));
        assertTrue(e.getMessage().contains("xyz") && e.getMessage().contains("xyz.dhm"), e.getMessage());
    }

    @Test
    void futureVersionIsRefused() throws IOException {
        byte[] b = bytes.clone();
        b[8] = 3;
        assertTrue(refused(b).getMessage().contains("version 3"));
    }

    @Test
    void byteSectionsRoundTripAndAreChecked() throws IOException {
        byte[] module = new byte[1000];
        for (int i = 0; i < module.length; i++) {
            module[i] = (byte) (i * 31);
        }
        ModelContents c = new ModelContents("demo", 8, 4, Map.of("k", "v"), Map.of("w", new double[] {1, 2.5}),
                Map.of("module", module, "empty", new byte[0]));
        Path f = dir.resolve("s.dhm");
        HashModels.write(f, c);
        ModelContents back = HashModels.read(f);
        assertEquals(c, back);
        assertArrayEquals(module, back.section("module"));
        assertThrows(IllegalArgumentException.class, () -> back.section("other"));
        byte[] b = Files.readAllBytes(f);
        b[b.length - 500] ^= 4;
        Files.write(f, b);
        assertTrue(assertThrows(MalformedFileException.class, () -> HashModels.read(f)).getMessage().contains("checksum"));
    }

    @Test
    void versionOneFilesAreStillRead() throws IOException {
        ModelContents c = new ModelContents("demo", 8, 2, Map.of(), Map.of("w", new double[] {3, -1}));
        byte[] json = "{\"method\":\"demo\",\"bits\":8,\"input_dimension\":2,\"config\":{},\"arrays\":[{\"name\":\"w\",\"length\":2}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(8 + json.length + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.putInt(1).putInt(json.length).put(json).putDouble(3).putDouble(-1);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body.array());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(HashModels.MAGIC);
        out.write(body.array());
        out.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).array());
        out.write(HashModels.END);
        Path f = dir.resolve("v1.dhm");
        Files.write(f, out.toByteArray());
        assertEquals(c, HashModels.read(f));
    }
}
