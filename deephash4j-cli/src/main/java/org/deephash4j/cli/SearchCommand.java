package org.deephash4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.index.RangeResult;
import org.deephash4j.index.SearchResult;
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

    @Mixin
    ResultsFile results;

    @Override
    public Integer call() throws Exception {
        if (k != null && radius != null) {
            throw new IllegalArgumentException("give either -k or --radius, not both");
        }
        results.check();
        HammingIndex index = IndexFile.load(indexFile);
        BinaryCodes q = CodeFiles.read(queries, bitOrder.order);
        long t0 = System.nanoTime();
        ResultsFile.Rows rows;
        if (radius != null) {
            RangeResult r = index.rangeSearch(q, radius);
            rows = new ResultsFile.Rows(q, r::count, r::id, r::distance);
        } else {
            SearchResult r = index.search(q, k == null ? 100 : k);
            rows = ResultsFile.Rows.of(q, r);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        results.write(rows);
        System.err.printf(Locale.ROOT, "[search] %d queries on a %s index of %d codes in %.3f s; results in %s%n", q.size(),
                index.type(), index.size(), seconds, results.output.toAbsolutePath());
        return 0;
    }
}
