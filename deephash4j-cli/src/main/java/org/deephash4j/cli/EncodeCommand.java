package org.deephash4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deephash encode}: apply a saved hash function to every item of a data set. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encode every item of a data set with a saved model; item ids are row positions.",
            "Writes a .dhc code file, or packed uint8 .npy if the output name ends in .npy."})
final class EncodeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.dhm) from 'deephash fit'.")
    Path model;

    @Option(names = {"-d", "--data"}, required = true, paramLabel = "DATA",
            description = "A known data set, a folder with MNIST-style IDX files, or a .npy feature matrix.")
    String data;

    @Option(names = "--bit-order", defaultValue = "big", paramLabel = "big|little",
            description = "Bit order of a packed .npy output (default: ${DEFAULT-VALUE}).")
    String bitOrder;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Code file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        HashFunction f = HashModels.load(model);
        FeatureInput in = FeatureInput.load(data, null);
        long t0 = System.nanoTime();
        BinaryCodes codes = f.encode(in.features(), null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        CodeFiles.write(output, codes, EvalCommand.parseBitOrder(bitOrder));
        System.err.printf(Locale.ROOT, "[encode] %d items of %s to %d-bit %s codes in %.2f s; written to %s%n", codes.size(),
                in.name(), codes.bits(), f.method(), seconds, output.toAbsolutePath());
        return 0;
    }
}
