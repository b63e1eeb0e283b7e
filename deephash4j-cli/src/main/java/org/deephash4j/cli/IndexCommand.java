package org.deephash4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.index.IndexSelector;
import org.deephash4j.index.IndexType;
import org.deephash4j.index.MultiIndexHashing;
import org.deephash4j.hash.HashModels;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deephash index}: build and inspect persistent Hamming indexes. */
@Command(name = "index", mixinStandardHelpOptions = true, description = "Build and inspect persistent Hamming search indexes (.dhi).",
        subcommands = {IndexCommand.Build.class, IndexCommand.Info.class})
final class IndexCommand extends CommandGroup {

    /** {@code deephash index build}. */
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build an exact search index from a code file, or from a model and data (encoded a batch at a time), and save it.",
                "--type auto (default) times a flat scan and multi-index hashing on sample queries drawn from the codes",
                "and keeps the faster; both are exact."})
    static final class Build implements Callable<Integer> {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        /** Where the codes come from. */
        static final class Source {
            @Option(names = "--codes", required = true, paramLabel = "FILE",
                    description = "Codes to index (.dhc or .npy); their ids become the index ids.")
            Path codes;

            @ArgGroup(exclusive = false, heading = "%nOr items of a data set, encoded with a model (ids: item positions):%n")
            FromModel model;
        }

        /** A model applied to a data set. */
        static final class FromModel {
            @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.dhm) to encode the items with.")
            Path model;

            @ArgGroup(exclusive = false, multiplicity = "1")
            DataOptions data;

            @Option(names = "--subset", defaultValue = "all", paramLabel = "all|query|database|train",
                    description = "Which items: all (default), or the protocol's queries, database or training items.")
            ItemCodes.Subset subset;
        }

        @Option(names = "--type", defaultValue = "auto", paramLabel = "auto|flat|mih", description = "Index type (default: ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "--substrings", defaultValue = "0", description = "Multi-index hashing substrings (default: chosen from bits and size).")
        int substrings;

        @Option(names = "--tune-k", defaultValue = "10", description = "k of the sample queries that --type auto times (default: ${DEFAULT-VALUE}).")
        int tuneK;

        @Mixin
        BitOrderOption bitOrder;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Index file to write (.dhi).")
        Path output;

        @Override
        public Integer call() throws Exception {
            BinaryCodes c = source.codes != null ? CodeFiles.read(source.codes, bitOrder.order) : encode(source.model);
            long t0 = System.nanoTime();
            HammingIndex index = type.equalsIgnoreCase("auto") ? null : switch (IndexType.parse(type)) {
                case FLAT -> new FlatIndex(c.bits());
                case MIH -> new MultiIndexHashing(c.bits(), substrings);
            };
            if (index == null) {
                IndexSelector.Choice choice = IndexSelector.choose(c, tuneK, substrings);
                index = choice.index();
                if (Double.isNaN(choice.mihMillisPerQuery())) {
                    System.err.println("[index] auto: flat (below " + IndexSelector.MIN_SIZE_FOR_MIH
                            + " codes a flat scan is always faster)");
                } else {
                    System.err.printf(Locale.ROOT, "[index] auto: %s (flat %.3f ms, mih %.3f ms per sample query, k = %d)%n",
                            index.type(), choice.flatMillisPerQuery(), choice.mihMillisPerQuery(), tuneK);
                }
            } else {
                index.add(c);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            IndexFile.save(output, index);
            System.err.printf(Locale.ROOT, "[index] %s index of %d %d-bit codes built in %.2f s; saved to %s%n", index.type(),
                    index.size(), index.bits(), seconds, output.toAbsolutePath());
            return 0;
        }

        private static BinaryCodes encode(FromModel in) throws java.io.IOException {
            ItemCodes all = in.data.encode(HashModels.load(in.model), in.model);
            return all.select(in.subset, in.data.protocol(all));
        }
    }

    /** {@code deephash index info}. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Describe an index file.")
    static final class Info implements Callable<Integer> {

        @Parameters(paramLabel = "INDEX", description = "Index file (.dhi).")
        Path file;

        @Override
        public Integer call() throws Exception {
            HammingIndex index = IndexFile.load(file);
            System.out.println("type:  " + index.type()
                    + (index instanceof MultiIndexHashing m ? " (" + m.substrings() + " substrings)" : ""));
            System.out.println("codes: " + index.size() + " of " + index.bits() + " bits");
            System.out.printf(Locale.ROOT, "heap:  %.1f MB (codes are memory-mapped from the file)%n", index.heapBytes() / 1e6);
            return 0;
        }
    }
}
