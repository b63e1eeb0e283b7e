package org.deephash4j.hash;

import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;

/**
 * A fitted hash function: maps feature vectors to binary codes of a fixed length. Encoding is
 * deterministic: the same features always give the same codes, also after saving and loading
 * ({@link HashModels}).
 */
public interface HashFunction {

    /** The method that produced this function, e.g. {@code lsh}. */
    String method();

    /** Code length in bits. */
    int bits();

    /** Dimension of the feature vectors it takes. */
    int inputDimension();

    /** Encodes every row of {@code features}; {@code ids} may be {@code null} for 0..rows-1. */
    BinaryCodes encode(FeatureMatrix features, long[] ids);

    /** Everything needed to rebuild this function exactly. */
    ModelContents contents();
}
