package org.deephash4j.cli;

import org.deephash4j.codes.BitOrder;
import picocli.CommandLine.Option;

/** The bit order of packed {@code .npy} code files a command reads or writes (a picocli mixin). */
final class BitOrderOption {

    @Option(names = "--bit-order", defaultValue = "big", paramLabel = "big|little",
            description = "Bit order of packed .npy codes: numpy.packbits (big) or Faiss (little). Default: ${DEFAULT-VALUE}.")
    BitOrder order;
}
