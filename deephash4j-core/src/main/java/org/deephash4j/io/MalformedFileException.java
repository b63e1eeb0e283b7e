package org.deephash4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not what it claims to be: wrong magic, truncated, inconsistent sizes, values out of
 * range, a checksum that does not match. The message always names the file and the problem, so the
 * CLI can show it as is.
 */
public class MalformedFileException extends IOException {

    private final transient Path file;
    private final String problem;

    public MalformedFileException(Path file, String problem) {
        super(describe(file) + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public MalformedFileException(Path file, String problem, Throwable cause) {
        super(describe(file) + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** What is wrong with the file, without its name. */
    public String problem() {
        return problem;
    }

    /** The offending file, or {@code null} when the data did not come from a file. */
    public Path file() {
        return file;
    }

    private static String describe(Path file) {
        return file == null ? "<stream>" : file.toString();
    }
}
