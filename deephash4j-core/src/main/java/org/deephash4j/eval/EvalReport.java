package org.deephash4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.MalformedFileException;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes evaluation reports: a Markdown table ({@code report.md}), a JSON file with every figure,
 * the configuration and the conventions ({@code report.json}), and PNG plots of the PR curve by
 * Hamming radius ({@code pr_curve.png}) and of precision@K ({@code precision_at_k.png}). A report's
 * JSON can be read back, so runs from several reports can be compared in one table and one plot.
 */
public final class EvalReport {

    /** File names inside a report folder. */
    public static final String MARKDOWN = "report.md";
    public static final String JSON = "report.json";
    public static final String PR_PLOT = "pr_curve.png";
    public static final String PRECISION_PLOT = "precision_at_k.png";
    static final String FORMAT = "deephash4j-eval-report";

    private EvalReport() {
    }

    /** Writes all four files for {@code runs} into {@code dir}. */
    public static void write(Path dir, List<ReportRun> runs) throws IOException {
        write(dir, runs, true);
    }

    /** Writes the Markdown and JSON files for {@code runs} into {@code dir}, and the plots if {@code plots}. */
    public static void write(Path dir, List<ReportRun> runs, boolean plots) throws IOException {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one run");
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(runs));
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(toJson(runs));
        AtomicFiles.write(dir.resolve(JSON), out -> out.write(json));
        if (plots) {
            writePlots(dir, runs);
        }
    }

    /** The Markdown table: one row per run, mAP columns for every cut-off, then the conventions. */
    public static String markdown(List<ReportRun> runs) {
        TreeSet<Integer> mapKs = new TreeSet<>((a, b) -> Integer.compare(a == 0 ? Integer.MAX_VALUE : a, b == 0 ? Integer.MAX_VALUE : b));
        for (ReportRun r : runs) {
            for (int k : r.metrics().config().mapCutoffs()) {
                mapKs.add(k);
            }
        }
        StringBuilder sb = new StringBuilder("| run | bits |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (int k : mapKs) {
            sb.append(" mAP@").append(label(k)).append(" | mAP@").append(label(k)).append(" tie-aware |");
            rule.append("---:|---:|");
        }
        sb.append(" P@100 | P (r<=R) | R (r<=R) | queries | database |\n");
        rule.append("---:|---:|---:|---:|---:|\n");
        sb.append(rule);
        for (ReportRun r : runs) {
            RetrievalMetrics m = r.metrics();
            sb.append("| ").append(r.name()).append(" | ").append(m.bits()).append(" |");
            for (int k : mapKs) {
                boolean has = java.util.Arrays.stream(m.config().mapCutoffs()).anyMatch(x -> x == k);
                sb.append(has ? fmt(m.mapAt(k)) + " |" + fmt(m.tieAwareMapAt(k)) + " |" : " - | - |");
            }
            boolean p100 = java.util.Arrays.stream(m.config().precisionCutoffs()).anyMatch(x -> x == 100);
            sb.append(p100 ? fmt(m.precisionAt(100)) : " -").append(" |").append(fmt(m.precisionWithinRadius())).append(" |")
                    .append(fmt(m.recallWithinRadius())).append(" | ").append(m.queries()).append(" | ").append(m.database())
                    .append(" |\n");
        }
        ReportRun first = runs.get(0);
        sb.append("\nR = ").append(first.metrics().config().radius()).append(". ");
        Object protocol = first.context().get("protocol");
        if (first.context().containsKey("dataset")) {
            sb.append("Data set ").append(first.context().get("dataset")).append(". ");
        }
        if (protocol instanceof Map<?, ?> p && p.containsKey("name")) {
            sb.append("Protocol ").append(p.get("name")).append(". ");
        }
        first.metrics().config().describe().forEach((k, v) -> sb.append(k.replace('_', ' ')).append(": ").append(v).append(". "));
        return sb.toString().strip() + "\n";
    }

    private static String label(int k) {
        return k == 0 ? "all" : Integer.toString(k);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? " -" : String.format(Locale.ROOT, " %.4f", v);
    }

    static Map<String, Object> toJson(List<ReportRun> runs) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", 1);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ReportRun r : runs) {
            Map<String, Object> e = new LinkedHashMap<>();
            EvalConfig c = r.metrics().config();
            e.put("name", r.name());
            e.put("context", r.context());
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("map_cutoffs", c.mapCutoffs());
            config.put("precision_cutoffs", c.precisionCutoffs());
            config.put("all_convention", c.allConvention().name());
            config.put("zero_relevant", c.zeroRelevant().name());
            config.put("radius", c.radius());
            config.put("full_report", c.fullReport());
            e.put("config", config);
            e.put("conventions", c.describe());
            e.put("figures", r.metrics().figures());
            list.add(e);
        }
        root.put("runs", list);
        return root;
    }

    /** Reads the runs of a {@code report.json}. */
    public static List<ReportRun> read(Path json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new MalformedFileException(json, "not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != 1) {
            throw new MalformedFileException(json, "not a deephash4j evaluation report (format " + FORMAT + ", version 1)");
        }
        List<ReportRun> runs = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (JsonNode r : root.path("runs")) {
            try {
                JsonNode c = r.get("config");
                EvalConfig config = new EvalConfig(ints(c.get("map_cutoffs")), ints(c.get("precision_cutoffs")),
                        AllConvention.valueOf(c.get("all_convention").asText()), ZeroRelevantRule.valueOf(c.get("zero_relevant").asText()),
                        c.get("radius").asInt(), c.get("full_report").asBoolean());
                @SuppressWarnings("unchecked")
                Map<String, Object> context = mapper.convertValue(r.get("context"), Map.class);
                runs.add(new ReportRun(r.get("name").asText(), context, metrics(config, r.get("figures"))));
            } catch (RuntimeException e) {
                throw new MalformedFileException(json, "malformed run '" + r.path("name").asText() + "': " + e, e);
            }
        }
        if (runs.isEmpty()) {
            throw new MalformedFileException(json, "the report has no runs");
        }
        return runs;
    }

    private static RetrievalMetrics metrics(EvalConfig config, JsonNode f) {
        JsonNode maps = f.get("map");
        int nm = maps.size();
        double[] map = new double[nm];
        double[] tieMap = new double[nm];
        int[] counted = new int[nm];
        for (int i = 0; i < nm; i++) {
            map[i] = maps.get(i).get("map").asDouble();
            tieMap[i] = maps.get(i).get("map_tie_aware").asDouble();
            counted[i] = maps.get(i).get("queries_counted").asInt();
        }
        JsonNode precs = f.get("precision_at_k");
        int np = precs.size();
        double[] prec = new double[np];
        double[] tiePrec = new double[np];
        double[] recall = new double[np];
        for (int i = 0; i < np; i++) {
            prec[i] = precs.get(i).get("precision").asDouble();
            tiePrec[i] = precs.get(i).get("precision_tie_aware").asDouble();
            recall[i] = precs.get(i).has("recall") ? precs.get(i).get("recall").asDouble() : Double.NaN;
        }
        JsonNode pr = f.get("pr_by_radius");
        double[] rp = pr == null ? null : doubles(pr.get("precision"));
        double[] rr = pr == null ? null : doubles(pr.get("recall"));
        return new RetrievalMetrics(config, f.get("queries").asInt(), f.get("database").asInt(), f.get("bits").asInt(), map,
                tieMap, counted, prec, tiePrec, recall, rp, rr);
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static void writePlots(Path dir, List<ReportRun> runs) throws IOException {
        XYChart pr = new XYChartBuilder().width(800).height(600).title("Precision-recall by Hamming radius")
                .xAxisTitle("recall").yAxisTitle("precision").build();
        XYChart pk = new XYChartBuilder().width(800).height(600).title("Precision@K").xAxisTitle("K").yAxisTitle("precision")
                .build();
        pk.getStyler().setXAxisLogarithmic(true);
        boolean anyPr = false;
        boolean anyPk = false;
        for (ReportRun r : runs) {
            RetrievalMetrics m = r.metrics();
            if (m.radiusPrecision() != null) {
                pr.addSeries(r.name(), m.radiusRecall(), m.radiusPrecision()).setMarker(SeriesMarkers.CIRCLE);
                anyPr = true;
            }
            int[] ks = m.config().precisionCutoffs();
            if (ks.length > 0) {
                double[] x = java.util.Arrays.stream(ks).asDoubleStream().toArray();
                pk.addSeries(r.name(), x, m.precision()).setMarker(SeriesMarkers.CIRCLE);
                anyPk = true;
            }
        }
        saveOrSkip(pr, anyPr, dir.resolve(PR_PLOT));
        saveOrSkip(pk, anyPk, dir.resolve(PRECISION_PLOT));
    }

    private static void saveOrSkip(XYChart chart, boolean hasSeries, Path file) throws IOException {
        if (!hasSeries) {
            Files.deleteIfExists(file);
            return;
        }
        java.awt.image.BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        AtomicFiles.write(file, out -> javax.imageio.ImageIO.write(img, "png", out));
    }
}
