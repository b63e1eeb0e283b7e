package org.deephash4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.deephash4j.io.MalformedFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code deephash} command: entry point of the command-line interface. */
@Command(name = "deephash", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Learning to hash for image retrieval: fetch data, fit hash functions, encode, search, evaluate.",
        subcommands = {DataCommand.class, DemoCommand.class, FitCommand.class, EncodeCommand.class, EvalCommand.class,
            IndexCommand.class, SearchCommand.class,
            CompareCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (I/O, download, internal error)", "2:invalid command line or option value",
            "3:malformed input file"},
        footer = {"", "Data is cached under $DEEPHASH_HOME (default ~/.deephash)."})
public final class Main extends CommandGroup {

    /** Exit code for a malformed input file. */
    static final int EXIT_BAD_INPUT = 3;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    static boolean verbose;


    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (for tests and the launcher). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handle);
        return cl.execute(args);
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        int code;
        if (e instanceof MalformedFileException) {
            err.println("error: " + e.getMessage());
            code = EXIT_BAD_INPUT;
        } else if (e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            code = CommandLine.ExitCode.USAGE;
        } else if (e instanceof IOException) {
            err.println("error: " + e.getMessage());
            code = CommandLine.ExitCode.SOFTWARE;
        } else {
            err.println("internal error: " + e);
            code = CommandLine.ExitCode.SOFTWARE;
        }
        if (verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof IllegalArgumentException)) {
            err.println("(run with --verbose for details)");
        }
        err.flush();
        return code;
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"deephash4j " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }
}
