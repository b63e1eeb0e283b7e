package org.deephash4j.eval;

/** What "mAP@all" ranks. */
public enum AllConvention {
    /** All N database items. The default. */
    FULL,
    /**
     * N - 1 items, as DeepHash-pytorch's {@code CalcTopMap} with {@code topk = -1} does (its slice
     * {@code [0:-1]} drops the last ranked item); for matching published numbers exactly.
     */
    DEEPHASH_PYTORCH_MINUS_ONE
}
