package org.deephash4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The engine starts offline from the class path and is reproducible with a seed. */
class DeepEngineTest {

    @Test
    void engineStartsOfflineAndSeedsLikeTorch() {
        assertEquals("PyTorch", DeepEngine.get().getEngineName());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
        DeepEngine.seed(42);
        try (NDManager m = NDManager.newBaseManager()) {
            // torch.manual_seed(42); torch.randn(3) -> [0.3367, 0.1288, 0.2345]
            assertArrayEquals(new float[] {0.3367f, 0.1288f, 0.2345f}, m.randomNormal(new ai.djl.ndarray.types.Shape(3)).toFloatArray(),
                    1e-4f);
        }
    }
}
