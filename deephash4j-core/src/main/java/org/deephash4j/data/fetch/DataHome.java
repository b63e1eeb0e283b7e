package org.deephash4j.data.fetch;

import java.nio.file.Path;

/**
 * Where deephash4j caches what it fetches, outside any repository: {@code $DEEPHASH_HOME}, else the
 * system property {@code deephash.home}, else {@code ~/.deephash}. Data sets live in {@code data/<name>}.
 */
public record DataHome(Path root) {

    /** Environment variable naming the data home. */
    public static final String ENV = "DEEPHASH_HOME";
    /** System property naming the data home (used when the environment variable is unset). */
    public static final String PROPERTY = "deephash.home";

    /** The data home from the environment, the system property or the default. */
    public static DataHome resolve() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new DataHome(Path.of(env));
        }
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return new DataHome(Path.of(prop));
        }
        return new DataHome(Path.of(System.getProperty("user.home"), ".deephash"));
    }

    /** The cache folder of a data set. */
    public Path dataset(String name) {
        return root.resolve("data").resolve(name);
    }

    /** A folder for temporary downloads (on the same file system, so moves are renames). */
    public Path downloads() {
        return root.resolve("tmp");
    }
}
