package org.deephash4j.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.index.RangeResult;
import org.deephash4j.index.SearchResult;
import org.deephash4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deephash search}: query a saved index. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search a saved index with query codes: the k nearest (-k) or everything within a radius (--radius).",
            "Writes CSV (query_id,rank,id,distance) or JSON, chosen by the output name; results ordered by (distance, id)."})
final class SearchCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "FILE", description = "Index file (.dhi).")
    Path indexFile;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "Query codes (.dhc or .npy).")
    Path queries;

    @Option(names = "-k", paramLabel = "K", description = "Number of neighbours (default: 100 unless --radius is given).")
    Integer k;

    @Option(names = "--radius", paramLabel = "R", description = "Return every code within this Hamming distance instead.")
    Integer radius;

    @Mixin
    BitOrderOption bitOrder;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Results: .csv or .json.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (k != null && radius != null) {
            throw new IllegalArgumentException("give either -k or --radius, not both");
        }
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json");
        if (!json && !name.endsWith(".csv")) {
            throw new IllegalArgumentException("--output must end in .csv or .json, got '" + output + "'");
        }
        HammingIndex index = IndexFile.load(indexFile);
        BinaryCodes q = CodeFiles.read(queries, bitOrder.order);
        long t0 = System.nanoTime();
        Rows rows;
        if (radius != null) {
            RangeResult r = index.rangeSearch(q, radius);
            rows = new Rows(q, r::count, r::id, r::distance);
        } else {
            SearchResult r = index.search(q, k == null ? 100 : k);
            rows = new Rows(q, r::count, r::id, r::distance);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        AtomicFiles.write(output, out -> {
            if (json) {
                writeJson(out, rows);
            } else {
                writeCsv(out, rows);
            }
        });
        System.err.printf(Locale.ROOT, "[search] %d queries on a %s index of %d codes in %.3f s; results in %s%n", q.size(),
                index.type(), index.size(), seconds, output.toAbsolutePath());
        return 0;
    }

    /** Accessors over either result type. */
    private record Rows(BinaryCodes queries, java.util.function.IntUnaryOperator count, IdAt id, DistanceAt distance) {
    }

    private interface IdAt {
        long get(int q, int j);
    }

    private interface DistanceAt {
        int get(int q, int j);
    }

    private static void writeCsv(OutputStream out, Rows rows) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("query_id,rank,id,distance\n");
        for (int q = 0; q < rows.queries().size(); q++) {
            long qid = rows.queries().id(q);
            int n = rows.count().applyAsInt(q);
            for (int j = 0; j < n; j++) {
                w.write(qid + "," + (j + 1) + "," + rows.id().get(q, j) + "," + rows.distance().get(q, j) + "\n");
            }
        }
        w.flush();
    }

    private static void writeJson(OutputStream out, Rows rows) throws IOException {
        JsonGenerator g = new ObjectMapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
        g.writeStartObject();
        g.writeArrayFieldStart("results");
        for (int q = 0; q < rows.queries().size(); q++) {
            g.writeStartObject();
            g.writeNumberField("query_id", rows.queries().id(q));
            g.writeArrayFieldStart("neighbours");
            int n = rows.count().applyAsInt(q);
            for (int j = 0; j < n; j++) {
                g.writeStartObject();
                g.writeNumberField("id", rows.id().get(q, j));
                g.writeNumberField("distance", rows.distance().get(q, j));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
    }
}
