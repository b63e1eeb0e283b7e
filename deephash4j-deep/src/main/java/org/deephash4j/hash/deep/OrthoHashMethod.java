package org.deephash4j.hash.deep;

import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.SupervisedHashMethod;
import org.deephash4j.util.ProgressListener;

/**
 * OrthoHash as a {@link SupervisedHashMethod}: trains with {@link OrthoHash.Config#defaults} for the
 * requested code length (and the given number of epochs) on inputs of a fixed shape.
 */
public final class OrthoHashMethod implements SupervisedHashMethod {

    private final ImageShape shape;
    private final String backbone;
    private final int epochs;
    private final ProgressListener progress;

    public OrthoHashMethod(ImageShape shape, String backbone, int epochs, ProgressListener progress) {
        this.shape = shape;
        this.backbone = backbone;
        this.epochs = epochs;
        this.progress = progress;
    }

    @Override
    public String name() {
        return "orthohash";
    }

    @Override
    public HashFunction fit(FeatureMatrix train, MultiHotLabels labels, int bits, long seed) {
        OrthoHash.Config d = OrthoHash.Config.defaults(bits, backbone);
        OrthoHash.Config c = new OrthoHash.Config(bits, backbone, epochs, d.batchSize(), d.learningRate(), d.backboneLrScale(),
                d.weightDecay(), d.loss(), d.targets(), seed);
        return OrthoHash.train(c, train, labels, shape, null, progress);
    }
}
