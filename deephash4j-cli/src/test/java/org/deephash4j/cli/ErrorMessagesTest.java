package org.deephash4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFile;
import org.deephash4j.data.io.IdxReaderTestSupport;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One exit code and one kind of message per class of problem, each naming the file or path concerned. */
class ErrorMessagesTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private Path codes(String name, int n) throws IOException {
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            w[i] = i * 0x9E3779B97F4A7C15L;
        }
        Path p = tmp.resolve(name);
        CodeFile.write(p, BinaryCodes.of(64, w, null));
        return p;
    }

    @Test
    void missingFilesAndFoldersAreIoErrorsNamingThePath() throws IOException {
        Path q = codes("q.dhc", 10);
        Path missing = tmp.resolve("nope.dhi");
        assertEquals(1, Main.execute("search", "--index", missing.toString(), "--queries", q.toString(), "-o",
                tmp.resolve("r.csv").toString()));
        assertTrue(console.err().contains("error: no such file: " + missing), console.err());
        console.reset();
        assertEquals(1, Main.execute("search", "--index", tmp.toString(), "--queries", q.toString(), "-o",
                tmp.resolve("r.csv").toString()));
        assertTrue(console.err().contains(tmp + ": is a folder, not a file"), console.err());
        assertFalse(console.err().contains("No such device") || console.err().contains("--verbose"), console.err());
        console.reset();
        Path labels = tmp.resolve("l.npy");
        Npy.write(labels, NpyArray.ofLongs(new long[10], 10));
        assertEquals(1, Main.execute("eval", "--query-codes", tmp.resolve("none.dhc").toString(), "--database-codes", q.toString(),
                "--query-labels", labels.toString(), "--database-labels", labels.toString(), "-o", tmp.resolve("rep").toString()));
        assertTrue(console.err().contains("error: no such file: " + tmp.resolve("none.dhc")), "the same words as search: " + console.err());
    }

    @Test
    void codesOfAnotherLargerDataSetAreRefusedByEval() throws IOException {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        Path ok = codes("ok.dhc", 300);
        String protocol = "custom:query=3,train=5,seed=1";
        assertEquals(0, Main.execute("eval", "--codes", ok.toString(), "-d", data.toString(), "-p", protocol, "-o",
                tmp.resolve("r1").toString()), console.err());
        Path larger = codes("larger.dhc", 1000);
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", "--codes", larger.toString(), "-d", data.toString(), "-p", protocol,
                "-o", tmp.resolve("r2").toString()));
        assertTrue(console.err().contains(larger.toString()) && console.err().contains("has 300 items"), console.err());
    }

    @Test
    void aCorruptCheckpointGivenToResumeIsMalformedInputNamingIt() throws IOException {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        Path checkpoint = Files.write(tmp.resolve("run.ckpt"), "DH4JMODL this is not a checkpoint at all".getBytes());
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("fit", "-m", "orthohash", "-b", "16", "-d", data.toString(), "-p",
                "custom:query=3,train=10,seed=1", "--epochs", "2", "--checkpoint", checkpoint.toString(), "--resume", "-o",
                tmp.resolve("m.dhm").toString()));
        assertTrue(console.err().contains("error: " + checkpoint) && !console.err().contains("internal error"), console.err());
    }

    @Test
    void importingACopyNamesTheUsersFileNotAnInternalCopy() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("my-mnist"));
        IdxReaderTestSupport.writeMnistFolder(copy, 20, 10);
        assertEquals(1, Main.execute("data", "get", "mnist", "--from", copy.toString()));
        assertTrue(console.err().contains(copy.toString()) && console.err().contains("content differs"), console.err());
        assertFalse(console.err().contains("downloads"), console.err());
    }

    @Test
    void aSignalStopsTrainingWithACheckpointAndSaysSo() throws Exception {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        Path model = tmp.resolve("m.dhm");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                Main.class.getName(), "fit", "-m", "orthohash", "-b", "16", "-d", data.toString(), "-p",
                "custom:query=3,train=10,seed=1", "--epochs", "2000", "--batch-size", "20", "-o", model.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        boolean signalled = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (line.contains("epoch ") && line.contains("/2000: done") && !signalled) {
                    p.toHandle().destroy(); // SIGTERM; Process.destroy would also close the output being read
                    signalled = true;
                }
            }
        }
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        p.destroyForcibly();
        assertTrue(ended, "the process ends after saving");
        String output = String.join("\n", lines);
        Path checkpoint = tmp.resolve("m.dhm.ckpt");
        assertTrue(output.contains("stopped by a signal: checkpoint saved to " + checkpoint), output);
        assertTrue(Files.exists(checkpoint), output);
    }

    @Test
    void serveRefusesAnOpenAddressWithoutAKeyAndAModelThatIsNotThere() {
        assertEquals(2, Main.execute("serve", "--host", "0.0.0.0", "--port", "0", "--data", tmp.resolve("d").toString()));
        assertTrue(console.err().contains("needs an API key"), console.err());
        assertEquals(1, Main.execute("serve", "--model", tmp.resolve("none.dhm").toString(), "--port", "0", "--data",
                tmp.resolve("d").toString()));
        assertTrue(console.err().contains("none.dhm"), console.err());
    }
}
