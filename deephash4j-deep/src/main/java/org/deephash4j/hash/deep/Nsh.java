package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.Trainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.nn.loss.Norms;
import org.deephash4j.nn.loss.NshLoss;
import org.deephash4j.util.ProgressListener;

/**
 * NSH, Naturally-Sorted Hashing (Yu et al., IJCAI 2022; methods.md §2), unsupervised: two augmented
 * views of each image through a shared backbone with a hash head (tanh codes) and a latent head
 * (L2-normalised); every anchor's batch is sorted by code similarity with SoftSort and the sorted
 * latents are trained with SortedNCE ({@link NshLoss}). The hash layer's BatchNorm without affine
 * parameters keeps the bits from collapsing when training from scratch (nsh-notes.md); at encoding
 * time the code is the sign of the hash layer's output with BatchNorm's running statistics.
 */
public final class Nsh {

    private Nsh() {
    }

    /**
     * NSH's settings.
     *
     * @param latentDim d_z, the latent head's width
     * @param hashLayer the balance mechanism: {@code BN_NO_AFFINE} (default) or none ({@code LINEAR})
     */
    public record Config(int bits, String backbone, Training.Settings training, DeepHashFunction.HashLayer hashLayer, int latentDim,
            NshLoss loss) {

        public Config {
            BinaryCodes.checkBits(bits);
            if (latentDim < 1) {
                throw new IllegalArgumentException("latent dimension must be >= 1, got " + latentDim);
            }
        }

        /**
         * The reference run's settings (nsh-notes.md): batch 64, Adam lr 1e-3 without weight decay,
         * constant rate, 30 epochs, d_z 128, hash-BN on, {@link NshLoss#defaults}; and, unlike the
         * reference run, the BatchNorm statistics re-estimated on the un-augmented training images after
         * training ({@link Training.Settings#reestimateBatchNorm}; README: +0.011 mAP@1000 over five seeds).
         */
        public static Config defaults(int bits, String backbone, Augmentation augmentation, long seed) {
            Training.Settings t = new Training.Settings(30, 64, 1e-3f, 1f, 0f, Training.Optimiser.ADAM, Training.Schedule.CONSTANT,
                    augmentation, seed, true);
            return new Config(bits, backbone, t, DeepHashFunction.HashLayer.BN_NO_AFFINE, 128, NshLoss.defaults(bits));
        }

        /** Everything, for the saved model's configuration. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(training.describe());
            m.putAll(loss.describe());
            m.put("latent_dim", latentDim);
            return m;
        }
    }

    /** Trains on the rows of {@code x} (images of {@code shape}); no labels are used. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        return TrainingLoop.run(new Task(c, shape), c.training(), x, shape, listener, progress, checkpoints);
    }

    /** Backbone, then the hash head and the latent head side by side. */
    private static final class Task extends TwoViewTask {
        private final Config config;
        private final Block training;

        Task(Config c, ImageShape shape) {
            super("nsh", c.bits(), c.backbone(), c.hashLayer(), shape, c.describe());
            this.config = c;
            Block latent = new SequentialBlock().add(Linear.builder().setUnits(c.latentDim()).build())
                    .add(new LambdaBlock(list -> new NDList(Norms.unitRows(list.singletonOrThrow()))));
            Block heads = new ParallelBlock(lists -> new NDList(lists.get(0).singletonOrThrow(), lists.get(1).singletonOrThrow()),
                    List.of(hashHead(), latent));
            this.training = new SequentialBlock().add(network.getChildren().get(0).getValue()).add(heads);
            initialiseAsPyTorch(training);
        }

        @Override
        public Block trainingBlock() {
            return training;
        }

        @Override
        public NDArray loss(Trainer trainer, NDArray[] views, NDArray labels) {
            NDList one = trainer.forward(new NDList(views[0]));
            NDList two = trainer.forward(new NDList(views[1]));
            return config.loss().compute(one.get(0).tanh(), two.get(0).tanh(), one.get(1), two.get(1));
        }
    }
}
