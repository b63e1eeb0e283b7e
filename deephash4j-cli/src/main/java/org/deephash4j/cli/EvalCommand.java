package org.deephash4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.io.NpyDataReader;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.data.protocol.SplitFiles;
import org.deephash4j.eval.AllConvention;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.EvalReport;
import org.deephash4j.eval.ReportRun;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.eval.RetrievalMetrics;
import org.deephash4j.eval.ZeroRelevantRule;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deephash eval}: evaluate codes by Hamming ranking and write a report. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate binary codes by Hamming ranking: mAP@K (ties by database position, and tie-aware),",
            "precision/recall@K, the PR curve by radius, precision and recall within a radius.",
            "Writes report.md, report.json (every figure and convention) and PNG plots to --output.",
            "Codes come from a code file, from a model applied to the data set, or as query/database files."})
final class EvalCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @ArgGroup(exclusive = false, heading = "%nCodes of a whole data set, split by a protocol:%n")
        FromDataset dataset;

        @ArgGroup(exclusive = false, heading = "%nQuery and database codes with their labels:%n")
        FromFiles files;
    }

    static final class FromDataset {
        @ArgGroup(exclusive = true, multiplicity = "1")
        CodesOrModel source;

        @ArgGroup(exclusive = false, multiplicity = "1")
        DataOptions data;
    }

    static final class CodesOrModel {
        @Option(names = "--codes", required = true, paramLabel = "FILE",
                description = "Codes of the data set's items (.dhc or .npy); ids are data set positions.")
        Path codes;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model (.dhm) to encode the data set with.")
        Path model;
    }

    static final class FromFiles {
        @Option(names = "--query-codes", required = true, paramLabel = "FILE", description = "Query codes (.dhc or .npy).")
        Path queryCodes;

        @Option(names = "--database-codes", required = true, paramLabel = "FILE", description = "Database codes (.dhc or .npy).")
        Path databaseCodes;

        @Option(names = "--query-labels", required = true, paramLabel = "FILE",
                description = "Query labels (.npy: class indices or an n x C 0/1 matrix).")
        Path queryLabels;

        @Option(names = "--database-labels", required = true, paramLabel = "FILE", description = "Database labels (.npy).")
        Path databaseLabels;
    }

    @Option(names = {"-k", "--map-at"}, split = ",", defaultValue = "1000,all", paramLabel = "K",
            description = "mAP cut-offs; 'all' ranks the whole database (default: ${DEFAULT-VALUE}).")
    List<String> mapAt;

    @Option(names = "--precision-at", split = ",", paramLabel = "K",
            description = "precision/recall@K cut-offs (default: 1,5,10,20,50,100,200,500,1000).")
    List<Integer> precisionAt;

    @Option(names = "--radius", defaultValue = "2", description = "Radius of 'within radius' precision/recall (default: ${DEFAULT-VALUE}).")
    int radius;

    @Option(names = "--zero-relevant", defaultValue = "count", paramLabel = "count|drop",
            description = "A query without relevant items in its top K: 'count' as 0 (DeepHash-pytorch) or 'drop' it (HashNet). Default: ${DEFAULT-VALUE}.")
    String zeroRelevant;

    @Option(names = "--all-convention", defaultValue = "full", paramLabel = "full|deephash-pytorch",
            description = "What mAP@all ranks: all N items, or N-1 as DeepHash-pytorch's topk=-1. Default: ${DEFAULT-VALUE}.")
    String allConvention;

    @Mixin
    BitOrderOption bitOrder;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of this run in tables and plots (default: the codes' file name).")
    String name;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Report folder.")
    Path output;

    @Option(names = "--plots", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Draw the PNG plots (default); --no-plots writes only report.md and report.json, which saves a "
                    + "one-shot run about half a second of graphics start-up.")
    boolean plots;

    @Override
    public Integer call() throws Exception {
        EvalConfig config = config();
        BitOrder order = bitOrder.order;
        Map<String, Object> context = new LinkedHashMap<>();
        BinaryCodes q;
        BinaryCodes db;
        MultiHotLabels ql;
        MultiHotLabels dbl;
        String runName;
        if (input.dataset != null) {
            FromDataset in = input.dataset;
            ItemCodes data;
            if (in.source.model != null) {
                HashFunction f = HashModels.load(in.source.model);
                data = in.data.encode(f, in.source.model);
                context.put("model", in.source.model.toString());
                context.put("method", f.method());
                runName = f.method() + " " + f.bits();
            } else {
                data = in.data.withCodes(in.source.codes, order);
                context.put("codes", in.source.codes.toString());
                runName = in.source.codes.getFileName().toString();
            }
            Protocol p = in.data.protocol(data);
            if (p == null) {
                throw new IllegalArgumentException("data set " + data.name() + " has no protocol of its own: give --protocol");
            }
            Split split = data.split(p);
            q = data.at(split.query());
            db = data.at(split.database());
            ql = data.labels().subset(split.query());
            dbl = data.labels().subset(split.database());
            SplitFiles.write(output.resolve("split"), p, data.name(), split);
            context.put("dataset", data.name());
            context.put("protocol", p.describe());
        } else {
            FromFiles in = input.files;
            q = CodeFiles.read(in.queryCodes, order);
            db = CodeFiles.read(in.databaseCodes, order);
            ql = NpyDataReader.readLabels(in.queryLabels, 0);
            dbl = NpyDataReader.readLabels(in.databaseLabels, 0);
            int classes = Math.max(ql.numClasses(), dbl.numClasses());
            if (ql.numClasses() != dbl.numClasses()) {
                ql = NpyDataReader.readLabels(in.queryLabels, classes);
                dbl = NpyDataReader.readLabels(in.databaseLabels, classes);
            }
            context.put("query_codes", in.queryCodes.toString());
            context.put("database_codes", in.databaseCodes.toString());
            runName = in.databaseCodes.getFileName().toString();
        }
        context.put("bits", q.bits());
        context.put("sign_rule", "value >= 0 is bit 1");
        long t0 = System.nanoTime();
        RetrievalMetrics m = RetrievalEvaluator.evaluate(q, ql, db, dbl, config, new ConsoleProgress());
        double seconds = (System.nanoTime() - t0) / 1e9;
        ReportRun run = new ReportRun(name != null ? name : runName, context, m);
        EvalReport.write(output, List.of(run), plots);
        System.out.print(EvalReport.markdown(List.of(run)));
        System.err.printf(Locale.ROOT, "[eval] %d queries x %d database items in %.2f s; report in %s%n", m.queries(), m.database(),
                seconds, output.toAbsolutePath());
        return 0;
    }

    private EvalConfig config() {
        int[] ks = mapAt.stream().mapToInt(s -> s.equalsIgnoreCase("all") ? 0 : parsePositive(s, "--map-at")).toArray();
        int[] ps = precisionAt == null ? EvalConfig.STANDARD_PRECISION_CUTOFFS
                : precisionAt.stream().mapToInt(Integer::intValue).toArray();
        ZeroRelevantRule rule = switch (zeroRelevant.toLowerCase(Locale.ROOT)) {
            case "count" -> ZeroRelevantRule.COUNT_AS_ZERO;
            case "drop" -> ZeroRelevantRule.DROP_QUERY;
            default -> throw new IllegalArgumentException("--zero-relevant must be 'count' or 'drop', got '" + zeroRelevant + "'");
        };
        AllConvention all = switch (allConvention.toLowerCase(Locale.ROOT)) {
            case "full" -> AllConvention.FULL;
            case "deephash-pytorch" -> AllConvention.DEEPHASH_PYTORCH_MINUS_ONE;
            default -> throw new IllegalArgumentException("--all-convention must be 'full' or 'deephash-pytorch', got '"
                    + allConvention + "'");
        };
        return new EvalConfig(ks, ps, all, rule, radius, true);
    }

    private static int parsePositive(String s, String option) {
        try {
            int v = Integer.parseInt(s.strip());
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is neither a positive integer nor 'all'");
        }
    }

}
