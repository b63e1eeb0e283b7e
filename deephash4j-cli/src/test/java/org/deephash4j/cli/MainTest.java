package org.deephash4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deephash4j.data.io.IdxReaderTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, Main.execute("--help"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("data") && text.contains("demo") && text.contains("Exit codes"), text);
        assertEquals(0, Main.execute("data", "get", "--help"));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, Main.execute("demo", "--colour", "red"));
        assertTrue(stderr().contains("Unknown option") && stderr().contains("'--colour'"), stderr());
    }

    @Test
    void invalidValuesAreUsageErrorsWithoutStackTraces() {
        assertEquals(2, Main.execute("demo", "--bits", "12", "--data", tmp.toString()));
        assertTrue(stderr().contains("multiple of 8"), stderr());
        assertTrue(!stderr().contains("at org.deephash4j"), "no stack trace without --verbose");
        assertEquals(2, Main.execute("data", "get", "cifar-10"));
        assertTrue(stderr().contains("unknown data set 'cifar-10'"), stderr());
    }

    @Test
    void malformedInputExitsWithThreeAndNamesTheFile() throws IOException {
        IdxReaderTestSupport.writeMnistFolder(tmp, 20, 10);
        Files.write(tmp.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0});
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("data", "info", tmp.toString()));
        assertTrue(stderr().contains("train-labels-idx1-ubyte") && stderr().contains("truncated"), stderr());
    }

    @Test
    void demoRunsEndToEndOnALocalFolderAndWritesItsResults() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("tiny"));
        IdxReaderTestSupport.writeMnistFolder(data, 200, 100);
        Path outDir = tmp.resolve("out");
        int code = Main.execute("demo", "--data", data.toString(), "--protocol", "custom:query=3,train=5,seed=1", "--bits", "8,16",
                "--output", outDir.toString());
        assertEquals(0, code, stderr());
        String table = Files.readString(outDir.resolve("results.md"));
        assertTrue(table.contains("| lsh | 8 |") && table.contains("| lsh | 16 |"), table);
        JsonNode json = new ObjectMapper().readTree(outDir.resolve("results.json").toFile());
        assertEquals(2, json.get("results").size());
        JsonNode mapAll = json.get("results").get(1).get("metrics").get("map").get(1);
        assertEquals("all", mapAll.get("k").asText());
        double map = mapAll.get("map").asDouble();
        assertTrue(map > 0 && map <= 1, "mAP " + map);
        assertEquals("custom:query=3,train=5,seed=1", json.get("protocol").get("name").asText());
        assertEquals(30, Files.readAllLines(outDir.resolve("split/query.txt")).size());
        assertEquals(50, Files.readAllLines(outDir.resolve("split/train.txt")).size());
        assertEquals(270, Files.readAllLines(outDir.resolve("split/database.txt")).size());
        assertTrue(stderr().contains("[demo] protocol"), "the demo says what it is doing");
    }
}
