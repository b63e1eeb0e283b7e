package org.deephash4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deephash encode}: apply a saved hash function to every item of a data set. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encode the items of a data set with a saved model: all of them, or one part of the protocol's split.",
            "Item ids are data set positions. Writes a .dhc code file, or packed uint8 .npy if the output name ends in .npy",
            "(the ids then go to NAME.ids.npy beside it)."})
final class EncodeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.dhm) from 'deephash fit'.")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--subset", defaultValue = "all", paramLabel = "all|query|database|train",
            description = "Which items: all (default), or the protocol's queries, database or training items.")
    Subset subset;

    /** Which items to encode. */
    enum Subset { ALL, QUERY, DATABASE, TRAIN }

    @Mixin
    BitOrderOption bitOrder;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Code file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        HashFunction f = HashModels.load(model);
        FeatureInput in = data.load();
        in.requireInputOf(f, model);
        int[] items = positions(in);
        long t0 = System.nanoTime();
        BinaryCodes codes = items == null ? f.encode(in.features(), null) : f.encode(in.features().rows(items), Split.ids(items));
        double seconds = (System.nanoTime() - t0) / 1e9;
        CodeFiles.write(output, codes, bitOrder.order);
        System.err.printf(Locale.ROOT, "[encode] %d items (%s) of %s to %d-bit %s codes in %.2f s; written to %s%n", codes.size(),
                subset.name().toLowerCase(Locale.ROOT), in.name(), codes.bits(), f.method(), seconds, output.toAbsolutePath());
        return 0;
    }

    /** The data set positions of the subset, or {@code null} for all items. */
    private int[] positions(FeatureInput in) throws java.io.IOException {
        if (subset == Subset.ALL) {
            return null;
        }
        Protocol p = data.protocol(in);
        if (p == null) {
            throw new IllegalArgumentException("--subset " + subset.name().toLowerCase(Locale.ROOT) + " needs a protocol: give --protocol");
        }
        Split split = in.split(p);
        return switch (subset) {
            case QUERY -> split.query();
            case DATABASE -> split.database();
            case TRAIN -> split.train();
            case ALL -> throw new AssertionError();
        };
    }
}
