package org.deephash4j.hash;

import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.MultiHotLabels;

/** A hash method that learns from labelled training items (the supervised counterpart of {@link HashMethod}). */
public interface SupervisedHashMethod {

    /** Short name used on the command line, e.g. {@code orthohash}. */
    String name();

    /** Fits a {@code bits}-bit hash function on {@code train} with its {@code labels}; {@code seed} fixes every random choice. */
    HashFunction fit(FeatureMatrix train, MultiHotLabels labels, int bits, long seed);

    /** The unsupervised methods, seen as supervised ones that ignore the labels. */
    static SupervisedHashMethod ignoringLabels(HashMethod method) {
        return new SupervisedHashMethod() {
            @Override
            public String name() {
                return method.name();
            }

            @Override
            public HashFunction fit(FeatureMatrix train, MultiHotLabels labels, int bits, long seed) {
                return method.fit(train, bits, seed);
            }
        };
    }
}
