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
            CompareCommand.class, MethodsCommand.class,
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
        DeepSettingOptions.addTo(cl.getSubcommands().get("fit").getCommandSpec());
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler(Main::invalidCommandLine);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl.execute(args);
    }

    /**
     * A command line picocli cannot parse: the problem, the nearest valid options for a typo, and where
     * to find the usage, instead of the whole usage text.
     */
    private static int invalidCommandLine(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        java.util.List<String> unknown = e.getCommandLine().getParseResult() == null ? java.util.List.of()
                : e.getCommandLine().getParseResult().unmatched();
        if (!unknown.isEmpty() && unknown.get(0).startsWith("-")) {
            String bad = unknown.get(0).replaceFirst("=.*", "");
            err.println("error: unknown option '" + bad + "'");
            String near = nearestOption(e.getCommandLine().getCommandSpec(), bad);
            if (near != null) {
                err.println("did you mean " + near + "?");
            }
        } else {
            err.println("error: " + e.getMessage());
        }
        err.println("see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options");
        err.flush();
        return CommandLine.ExitCode.USAGE;
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

    /** The option of {@code spec} whose name is closest to {@code typed} (edit distance at most 3), or {@code null}. */
    static String nearestOption(CommandLine.Model.CommandSpec spec, String typed) {
        String best = null;
        int bestDistance = 4;
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            for (String name : o.names()) {
                int d = editDistance(typed, name);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = name;
                }
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
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
