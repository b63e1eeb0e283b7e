package org.deephash4j.hash.deep;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deephash4j.data.augment.Augmentation;

/**
 * What every deep method's training shares: the optimiser and schedule settings, checkpoints, the
 * per-epoch callback and the early-stop signal. The loop itself is {@link TrainingLoop}.
 */
public final class Training {

    private Training() {
    }

    /** The optimiser. */
    public enum Optimiser { ADAM, SGD;

        /** {@code adam} or {@code sgd}. */
        public static Optimiser parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "adam" -> ADAM;
                case "sgd" -> SGD;
                default -> throw new IllegalArgumentException("optimizer must be adam or sgd, got '" + name + "'");
            };
        }
    }

    /** The learning-rate schedule over epochs. */
    public enum Schedule {
        /** The full rate, then a tenth of it after 80 % of the epochs (OrthoHash's reference code, StepLR). */
        STEP,
        /** Half a cosine from the full rate at the first epoch down towards 0 at the last. */
        COSINE,
        /** The full rate throughout (the NSH reference run). */
        CONSTANT;

        /** {@code step}, {@code cosine} or {@code constant}. */
        public static Schedule parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "step" -> STEP;
                case "cosine" -> COSINE;
                case "constant" -> CONSTANT;
                default -> throw new IllegalArgumentException("schedule must be step, cosine or constant, got '" + name + "'");
            };
        }

        /** The rate of epoch {@code epoch} (1-based) of {@code epochs}. */
        public float rate(float base, int epoch, int epochs) {
            return switch (this) {
                case STEP -> epoch > (int) (0.8 * epochs) ? base * 0.1f : base;
                case COSINE -> (float) (0.5 * base * (1 + Math.cos(Math.PI * (epoch - 1) / epochs)));
                case CONSTANT -> base;
            };
        }

        String describe() {
            return switch (this) {
                case STEP -> "lr x0.1 after 80 % of the epochs";
                case COSINE -> "cosine from lr to 0";
                case CONSTANT -> "constant lr";
            };
        }
    }

    /**
     * Settings of the optimisation, common to every deep method.
     *
     * @param backboneLrScale the backbone's learning rate as a fraction of the heads' rate
     * @param augmentation the pipeline that makes each training view
     * @param reestimateBatchNorm whether the trained model's BatchNorm statistics are re-estimated on the
     *     un-augmented training images ({@link DeepHashFunction#recalibrateBatchNorm}) instead of kept as
     *     training leaves them (running averages of the last augmented batches); when set, the model an
     *     {@link EpochListener} gets re-estimates them too, before it first encodes or saves
     */
    public record Settings(int epochs, int batchSize, float learningRate, float backboneLrScale, float weightDecay,
            Optimiser optimiser, Schedule schedule, Augmentation augmentation, long seed, boolean reestimateBatchNorm) {

        public Settings {
            if (epochs <= 0 || batchSize <= 1 || !(learningRate > 0) || !(backboneLrScale >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("invalid training settings: epochs " + epochs + ", batch " + batchSize
                        + ", lr " + learningRate + ", backbone scale " + backboneLrScale + ", weight decay " + weightDecay);
            }
        }

        /** Everything, for saved models and checkpoints. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("batch_size", batchSize);
            m.put("learning_rate", learningRate);
            m.put("backbone_lr_scale", backboneLrScale);
            m.put("weight_decay", weightDecay);
            m.put("optimizer", optimiser == Optimiser.ADAM ? "Adam (L2 in the gradient)" : "SGD, momentum 0.9 (L2 in the gradient)");
            m.put("schedule", schedule.describe());
            m.put("augmentation", augmentation.description());
            m.put("seed", seed);
            // a re-estimate replaces the first with the number of images it used
            m.put(DeepHashFunction.BN_STATISTICS, reestimateBatchNorm ? "re-estimated on the un-augmented training images"
                    : "running averages of the last training batches");
            return m;
        }
    }

    /**
     * Told after every epoch, e.g. to evaluate the current model. {@code current} shares the network
     * being trained, which training goes on changing after the call.
     */
    public interface EpochListener {
        void epochDone(int epoch, double meanLoss, DeepHashFunction current);
    }

    /**
     * Where and when training state is saved. A checkpoint holds the weights (BatchNorm statistics
     * included), the optimiser's moments and step counts, the epoch and step, and the batch-order
     * generator's state, so a resumed run continues exactly as an uninterrupted one would.
     *
     * @param file the checkpoint file (written atomically)
     * @param everyEpochs save after every this many epochs (0: never at epoch ends)
     * @param resume continue from {@code file} if it exists
     * @param stopAfterSteps save and stop after this many steps in this run (0: never), as a kill would
     */
    public record Checkpoints(Path file, int everyEpochs, boolean resume, int stopAfterSteps) {
    }

    /** Thrown when training stopped early (interrupted) after saving a checkpoint. */
    public static final class Stopped extends RuntimeException {
        private final transient Path checkpoint;

        Stopped(Path checkpoint) {
            super("training stopped; state saved to " + checkpoint + " (continue with --resume)");
            this.checkpoint = checkpoint;
        }

        /** The checkpoint written before stopping. */
        public Path checkpoint() {
            return checkpoint;
        }
    }
}
