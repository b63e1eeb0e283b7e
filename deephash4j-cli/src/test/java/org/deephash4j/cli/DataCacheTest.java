package org.deephash4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deephash4j.data.fetch.DataHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deephash data cache}: sizes of the data home's parts, and clearing only the feature cache. */
class DataCacheTest {

    @TempDir
    Path tmp;

    private static String report(DataHome home, boolean clear) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataCommand.Cache.report(home, clear, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsEachPartsSizeAndClearsOnlyTheFeatureCache() throws IOException {
        DataHome home = new DataHome(tmp.resolve("home"));
        Files.createDirectories(home.dataset("mnist"));
        Files.write(home.dataset("mnist").resolve("images"), new byte[3 * 1024 * 1024]);
        Path layer = Files.createDirectories(home.features().resolve("mobilenetv2-out_relu-224"));
        Files.write(layer.resolve("000000.f32"), new byte[5 * 1024 * 1024]);
        Files.write(layer.resolve("000000.keys.npy"), new byte[512 * 1024]);
        String before = report(home, false);
        assertTrue(before.matches("(?s).*data sets\\s+3\\.0 MiB.*"), before);
        assertTrue(before.matches("(?s).*feature cache\\s+5\\.5 MiB.*"), before);
        assertTrue(before.matches("(?s).*mobilenetv2-out_relu-224\\s+5\\.5 MiB.*"), before);
        assertTrue(before.matches("(?s).*pretrained networks\\s+-.*"), "absent parts show a dash: " + before);

        String after = report(home, true);
        assertTrue(after.contains("deleted the feature cache") && after.contains("5.5 MiB freed"), after);
        assertFalse(Files.exists(home.features()));
        assertEquals(3 * 1024 * 1024, Files.size(home.dataset("mnist").resolve("images")), "the data sets are kept");
        assertTrue(after.matches("(?s).*feature cache\\s+-.*"), after);
    }
}
