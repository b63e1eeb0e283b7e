package org.deephash4j.hash;

import org.deephash4j.data.FeatureMatrix;

/**
 * A way of learning a hash function from training features (the {@code train} step of Faiss's
 * index interface). Implementations are stateless; everything learnt is in the returned function.
 */
public interface HashMethod {

    /** Short name used on the command line, e.g. {@code lsh}. */
    String name();

    /** Fits a {@code bits}-bit hash function on {@code train}; {@code seed} fixes every random choice. */
    HashFunction fit(FeatureMatrix train, int bits, long seed);
}
