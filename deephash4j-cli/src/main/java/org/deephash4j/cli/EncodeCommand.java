package org.deephash4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deephash encode}: apply a saved hash function to every item of a data set. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encode the items of a data set with a saved model: all of them, or one part of the protocol's split.",
            "Item ids are data set positions; image files are decoded and encoded a batch at a time. Writes a .dhc code file, or packed uint8 .npy if the output name ends in .npy",
            "(the ids then go to NAME.ids.npy beside it)."})
final class EncodeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.dhm) from 'deephash fit'.")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--subset", defaultValue = "all", paramLabel = "all|query|database|train",
            description = "Which items: all (default), or the protocol's queries, database or training items.")
    ItemCodes.Subset subset;

    @Mixin
    BitOrderOption bitOrder;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Code file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        HashFunction f = HashModels.load(model);
        long t0 = System.nanoTime();
        ItemCodes all = data.encode(f, model);
        double seconds = (System.nanoTime() - t0) / 1e9;
        BinaryCodes codes = all.select(subset, data.protocol(all));
        CodeFiles.write(output, codes, bitOrder.order);
        System.err.printf(Locale.ROOT, "[encode] %d items of %s encoded to %d-bit %s codes in %.2f s (%.0f items/s); %d (%s) written to %s%n",
                all.codes().size(), all.name(), codes.bits(), f.method(), seconds, all.codes().size() / seconds, codes.size(),
                subset.name().toLowerCase(Locale.ROOT), output.toAbsolutePath());
        return 0;
    }
}
