package org.deephash4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {

    @TempDir
    Path dir;

    static ReportRun run(String name, long seed, EvalConfig config) {
        java.util.Random r = new java.util.Random(seed);
        byte[] db = new byte[400 * 2];
        byte[] q = new byte[20 * 2];
        r.nextBytes(db);
        r.nextBytes(q);
        int[] dc = new int[400];
        int[] qc = new int[20];
        java.util.Arrays.setAll(dc, i -> i % 4);
        java.util.Arrays.setAll(qc, i -> i % 4);
        RetrievalMetrics m = RetrievalEvaluator.evaluate(BinaryCodes.fromPackedBytes(q, 16, BitOrder.BIG, null),
                MultiHotLabels.ofClasses(qc, 4), BinaryCodes.fromPackedBytes(db, 16, BitOrder.BIG, null),
                MultiHotLabels.ofClasses(dc, 4), config, ProgressListener.NONE);
        return new ReportRun(name, Map.of("dataset", "toy", "protocol", Map.of("name", "toy-protocol")), m);
    }

    @Test
    void writesAllFilesAndReadsTheFiguresBack() throws IOException {
        ReportRun a = run("a", 1, EvalConfig.standard().withMapCutoffs(10, 0));
        ReportRun b = run("b", 2, EvalConfig.standard().withZeroRelevant(ZeroRelevantRule.DROP_QUERY));
        EvalReport.write(dir, List.of(a, b));
        for (String f : List.of(EvalReport.MARKDOWN, EvalReport.JSON, EvalReport.PR_PLOT, EvalReport.PRECISION_PLOT)) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
        assertEquals(800, ImageIO.read(dir.resolve(EvalReport.PR_PLOT).toFile()).getWidth());
        List<ReportRun> back = EvalReport.read(dir.resolve(EvalReport.JSON));
        assertEquals(2, back.size());
        assertEquals(a.metrics().config(), back.get(0).metrics().config());
        assertEquals(b.metrics().config(), back.get(1).metrics().config());
        assertEquals(a.metrics().mapAt(10), back.get(0).metrics().mapAt(10), 0);
        assertEquals(a.metrics().tieAwareMapAt(0), back.get(0).metrics().tieAwareMapAt(0), 0);
        assertArrayEquals(b.metrics().radiusPrecision(), back.get(1).metrics().radiusPrecision(), 0);
        assertArrayEquals(b.metrics().precision(), back.get(1).metrics().precision(), 0);
        assertEquals("toy", back.get(0).context().get("dataset"));
    }

    @Test
    void markdownNamesTheProtocolAndConventionsAndMarksMissingColumns() {
        ReportRun a = run("a", 1, EvalConfig.standard().withMapCutoffs(10));
        ReportRun b = run("b", 2, EvalConfig.standard().withMapCutoffs(0));
        String md = EvalReport.markdown(List.of(a, b));
        assertTrue(md.contains("| mAP@10 | mAP@10 tie-aware | mAP@all | mAP@all tie-aware |"), md);
        assertTrue(md.contains("| a | 16 |"), md);
        assertTrue(md.contains(" - | - |"), md);
        assertTrue(md.contains("Protocol toy-protocol") && md.contains("tie rule") && md.contains("sign rule"), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "%.4f", a.metrics().mapAt(10))), md);
    }

    @Test
    void foreignOrBrokenJsonIsRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("x.json"), "{\"format\": \"something-else\", \"version\": 1}");
        assertThrows(MalformedFileException.class, () -> EvalReport.read(f));
        Files.writeString(f, "{ not json");
        assertThrows(MalformedFileException.class, () -> EvalReport.read(f));
        Files.writeString(f, "{\"format\": \"deephash4j-eval-report\", \"version\": 1, \"runs\": [{\"name\": \"x\"}]}");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> EvalReport.read(f));
        assertTrue(e.getMessage().contains("malformed run 'x'"), e.getMessage());
    }
}
