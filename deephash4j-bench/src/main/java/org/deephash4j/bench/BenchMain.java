package org.deephash4j.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmarks' entry point ({@code bench/run eval|search|train|images}): each measures deephash4j side by
 * side with a reference program in the same run and prints the ratio. Not part of the product command.
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true,
        description = "Benchmarks of deephash4j against reference programs, measured side by side in one run.",
        subcommands = {EvalBench.class, SearchBench.class, TrainBench.class, BackboneBench.class, ImagesBench.class, ServeLoadBench.class, EsBench.class, SparkBench.class,
            CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
