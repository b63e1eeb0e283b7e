package org.deephash4j.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates committed test fixtures under {@code src/test/resources/fixtures}. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The fixture file {@code fixtures/<relative>}. */
    public static Path path(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A NumPy fixture written by {@code fixtures/npy/make_fixtures.py}. */
    public static Path npy(String name) {
        return path("npy/" + name);
    }
}
