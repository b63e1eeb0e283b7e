package org.deephash4j.data.fetch;

import java.nio.file.Path;

/**
 * Where deephash4j caches what it fetches, outside any repository: {@code $DEEPHASH_HOME}, else the
 * system property {@code deephash.home}, else {@code ~/.deephash}. Data sets live in {@code data/<name>},
 * pretrained networks in {@code models/<name>}, a pretrained network's cached outputs in
 * {@code features/<network>-<layer>-<input size>}, the deep-learning engine's native libraries in
 * {@code djl}, unfinished downloads in {@code tmp}.
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

    /** The folder of the data sets. */
    public Path datasets() {
        return root.resolve("data");
    }

    /** The cache folder of a data set. */
    public Path dataset(String name) {
        return datasets().resolve(name);
    }

    /** The folder of the pretrained networks' packages. */
    public Path models() {
        return root.resolve("models");
    }

    /** The folder of a pretrained network's package. */
    public Path model(String name) {
        return models().resolve(name);
    }

    /** The folder of the cached outputs of pretrained networks (recomputed when deleted). */
    public Path features() {
        return root.resolve("features");
    }

    /** The folder the deep-learning engine's native libraries are extracted to. */
    public Path engineLibraries() {
        return root.resolve("djl");
    }

    /** A folder for temporary downloads (on the same file system, so moves are renames). */
    public Path downloads() {
        return root.resolve("tmp");
    }
}
