package org.deephash4j.nn;

import ai.djl.engine.Engine;
import java.nio.file.Path;

/**
 * Starts DJL's PyTorch engine the way deephash4j needs it: offline (no model-zoo or library
 * downloads, no telemetry probe of the cloud metadata address), with the native libraries extracted
 * from the class path into a cache folder the user can choose (default {@code $DEEPHASH_HOME/djl}),
 * and the intra-op thread count set once, before the engine loads. Every deep component gets the
 * engine through here.
 */
public final class DeepEngine {

    /** System property naming the engine cache folder. */
    public static final String CACHE_PROPERTY = "DJL_CACHE_DIR";

    static {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        // TorchScript backbones: the graph executor's optimiser made a small module's forward pass ~1.5x slower (stack.md)
        setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    }

    private static Engine engine;

    private DeepEngine() {
    }

    /**
     * The PyTorch engine, started on first use.
     *
     * @param cacheDir where the native libraries are extracted (about 430 MB, once), or {@code null}
     *     for {@code $DJL_CACHE_DIR} or else {@code <data home>/djl}
     * @param threads intra-op threads, or 0 for the number of cores
     */
    public static synchronized Engine start(Path cacheDir, int threads) {
        if (engine != null) {
            return engine;
        }
        if (cacheDir != null) {
            System.setProperty(CACHE_PROPERTY, cacheDir.toString());
        } else if (System.getProperty(CACHE_PROPERTY) == null && System.getenv(CACHE_PROPERTY) == null) {
            System.setProperty(CACHE_PROPERTY, org.deephash4j.data.fetch.DataHome.resolve().engineLibraries().toString());
        }
        setIfAbsent("ai.djl.pytorch.num_threads",
                Integer.toString(threads > 0 ? threads : Runtime.getRuntime().availableProcessors()));
        engine = Engine.getEngine("PyTorch");
        return engine;
    }

    /** The engine with default settings. */
    public static Engine get() {
        return start(null, 0);
    }

    /** Seeds the engine's random generator (PyTorch's), for reproducible initialisation and dropout. */
    public static void seed(long seed) {
        get().setRandomSeed((int) seed);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
