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
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.index.SearchResult;
import org.deephash4j.io.AtomicFiles;
import picocli.CommandLine.Option;

/**
 * Search results as a file (the {@code -o} option of {@code search} and {@code es search}, a picocli
 * mixin): CSV ({@code query_id,rank,id,distance}) or JSON, chosen by the name, written atomically.
 */
final class ResultsFile {

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Results: .csv or .json.")
    Path output;

    /** Refuses an output name that is neither .csv nor .json (before any work is done). */
    void check() {
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".json") && !name.endsWith(".csv")) {
            throw new IllegalArgumentException("--output must end in .csv or .json, got '" + output + "'");
        }
    }

    void write(Rows rows) throws IOException {
        check();
        boolean json = output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        AtomicFiles.write(output, out -> {
            if (json) {
                writeJson(out, rows);
            } else {
                writeCsv(out, rows);
            }
        });
    }

    /** Accessors over either result type. */
    record Rows(BinaryCodes queries, java.util.function.IntUnaryOperator count, IdAt id, DistanceAt distance) {
        static Rows of(BinaryCodes queries, SearchResult r) {
            return new Rows(queries, r::count, r::id, r::distance);
        }
    }

    interface IdAt {
        long get(int q, int j);
    }

    interface DistanceAt {
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
