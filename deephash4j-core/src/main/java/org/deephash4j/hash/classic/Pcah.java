package org.deephash4j.hash.classic;

import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashMethod;

/** PCA hashing: the sign of the projection on the top-b principal directions of the training features. */
public final class Pcah implements HashMethod {

    @Override
    public String name() {
        return "pcah";
    }

    @Override
    public HashFunction fit(FeatureMatrix train, int bits, long seed) {
        Pca pca = Pca.fit(train, bits, name());
        return new LinearHashFunction(name(), pca.mean(), pca.componentsAsFloats(), bits);
    }
}
