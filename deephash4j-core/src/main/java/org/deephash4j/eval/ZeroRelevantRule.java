package org.deephash4j.eval;

/** What a query with no relevant item in its top K does to the mean. */
public enum ZeroRelevantRule {
    /** It scores 0 and stays in the mean (DeepHash-pytorch {@code CalcTopMap}, FIRe, OrthoHash). The default. */
    COUNT_AS_ZERO,
    /** It is left out of the mean (HashNet {@code mean_average_precision}, thulab DeepHash {@code get_mAPs}). */
    DROP_QUERY
}
