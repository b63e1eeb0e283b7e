package org.deephash4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.deephash4j.io.MalformedFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code deephash} command: entry point of the command-line interface. */
@Command(name = "deephash", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Learning to hash for image retrieval: fetch data, fit hash functions, encode, search, evaluate.",
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

    /** The subcommands, in the order of the usage help. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(DataCommand.class, DemoCommand.class, FitCommand.class,
            EncodeCommand.class, EvalCommand.class, IndexCommand.class, SearchCommand.class, ServeCommand.class, EsCommand.class, CompareCommand.class,
            MethodsCommand.class, CommandLine.HelpCommand.class);

    /** Runs the command line and returns the exit code (for tests and the launcher). */
    public static int execute(String... args) {
        CommandLine cl = commandLine(args);
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler(Main::invalidCommandLine);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: out of memory (the Java heap holds at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB); give it more with DEEPHASH_JAVA_OPTS=-Xmx..., or work on smaller inputs");
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /**
     * The command tree for {@code args}. When they start with a subcommand's name, only that subcommand is
     * built: reflecting over every command, and the deep methods' settings that {@code fit} takes, costs a
     * one-shot command about a tenth of a second. Otherwise (usage help, {@code help}, a typo to suggest a
     * fix for) every subcommand is.
     */
    static CommandLine commandLine(String... args) {
        String first = args.length > 0 ? args[0] : "";
        boolean one = !first.equals("help") && SUBCOMMANDS.stream().anyMatch(c -> nameOf(c).equals(first));
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : SUBCOMMANDS) {
            if (!one || nameOf(c).equals(first)) {
                cl.addSubcommand(c);
            }
        }
        CommandLine fit = cl.getSubcommands().get("fit");
        if (fit != null) {
            DeepSettingOptions.addTo(fit.getCommandSpec());
        }
        return cl;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
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

    /**
     * One exit code and one kind of message per class of problem: a malformed input file (3, naming the
     * file, also when it surfaced wrapped in another exception), a bad option value (2), an I/O problem
     * (1, naming the path), anything else (1, "internal error"). Stack traces only with --verbose.
     */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        Throwable cause = rootProblem(e);
        int code;
        if (cause instanceof MalformedFileException) {
            err.println("error: " + cause.getMessage());
            code = EXIT_BAD_INPUT;
        } else if (cause instanceof IllegalArgumentException) {
            err.println("error: " + cause.getMessage());
            code = CommandLine.ExitCode.USAGE;
        } else if (cause instanceof IOException io) {
            err.println("error: " + describe(io));
            code = CommandLine.ExitCode.SOFTWARE;
        } else {
            err.println("internal error: " + cause);
            code = CommandLine.ExitCode.SOFTWARE;
        }
        if (verbose) {
            e.printStackTrace(err);
        } else if (code == CommandLine.ExitCode.SOFTWARE && !(cause instanceof IOException)) {
            err.println("(run with --verbose for details)");
        }
        err.flush();
        return code;
    }

    /**
     * The exception that says what went wrong: a malformed file or an I/O error wrapped by the engine,
     * a stream or a thread pool (as {@code UncheckedIOException}, {@code RuntimeException}, ...), else
     * {@code e} itself.
     */
    static Throwable rootProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MalformedFileException) {
                return t;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }

    /** An I/O error as a sentence naming its path. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() == null) {
            return f.getClass().getSimpleName().replace("Exception", "").toLowerCase(java.util.Locale.ROOT) + ": " + f.getFile();
        }
        return e.getMessage();
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
