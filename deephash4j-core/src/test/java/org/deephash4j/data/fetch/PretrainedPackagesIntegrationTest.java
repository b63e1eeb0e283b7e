package org.deephash4j.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.deephash4j.io.TfjsLayersModel;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;

/** The MobileNetV2 of npm's nsfwjs@4.4.0, fetched (or taken from the cache) and read: every weight the manifest lists. */
@org.junit.jupiter.api.Tag("integration")
class PretrainedPackagesIntegrationTest {

    @Test
    void mobilenetV2IsFetchedVerifiedAndReadWhole() throws Exception {
        Path dir = PretrainedPackages.ensure("mobilenetv2", DataHome.resolve(), ProgressListener.NONE);
        TfjsLayersModel m = TfjsLayersModel.read(dir);
        assertEquals(162, m.topology().get("model_config").get("config").get("layers").size());
        assertEquals(266, m.weights().size());
        assertArrayEquals(new int[] {3, 3, 3, 32}, m.weights().get("Conv1/kernel").shape());
        assertArrayEquals(new int[] {1, 1, 320, 1280}, m.weights().get("Conv_1/kernel").shape());
        float[] gamma = m.weights().get("Conv_1_bn/gamma").values();
        for (float g : gamma) {
            assertTrue(g >= 4.058 && g <= 4.058 + 255 * 0.0043 + 1e-3, "de-quantised into the manifest's range: " + g);
        }
        assertEquals(dir, PretrainedPackages.ensure("mobilenetv2", DataHome.resolve(), ProgressListener.NONE), "cached");
    }
}
