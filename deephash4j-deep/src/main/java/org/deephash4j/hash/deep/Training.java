package org.deephash4j.hash.deep;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.data.augment.AugmentationSpec;
import org.deephash4j.util.Records;

/**
 * What every deep method's training shares: the optimiser and schedule settings, checkpoints, the
 * per-epoch callback and the early-stop signal. The loop itself is {@link TrainingLoop}.
 */
public final class Training {

    private Training() {
    }

    /** The optimiser. */
    public enum Optimiser { ADAM, SGD
    }

    /** The learning-rate schedule over epochs. */
    public enum Schedule {
        /** The full rate, then a tenth of it after 80 % of the epochs (OrthoHash's reference code, StepLR). */
        STEP,
        /** Half a cosine from the full rate at the first epoch down towards 0 at the last. */
        COSINE,
        /** The full rate throughout (the NSH reference run). */
        CONSTANT;

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
     *     {@link EpochListener} gets is re-estimated too
     * @param featureViews how many augmented views of each image training draws from (0: a new view every
     *     epoch); with a frozen pretrained backbone each view's features are computed once and remembered
     * @param backboneTrainable which part of a pretrained backbone trains when {@code backboneLrScale} is above
     *     0: {@value #WHOLE_BACKBONE}, or {@code block_N}, the blocks from N up (the layers below stay frozen and
     *     their maps are remembered as a frozen backbone's are)
     */
    public record Settings(int epochs, int batchSize, float learningRate, float backboneLrScale, float weightDecay,
            Optimiser optimiser, Schedule schedule, Augmentation augmentation, long seed, boolean reestimateBatchNorm, int featureViews,
            String backboneTrainable) {

        /** The {@code backboneTrainable} value that trains the whole backbone. */
        public static final String WHOLE_BACKBONE = "all";

        /** Settings that train the whole backbone (when its learning-rate scale is above 0). */
        public Settings(int epochs, int batchSize, float learningRate, float backboneLrScale, float weightDecay, Optimiser optimiser,
                Schedule schedule, Augmentation augmentation, long seed, boolean reestimateBatchNorm, int featureViews) {
            this(epochs, batchSize, learningRate, backboneLrScale, weightDecay, optimiser, schedule, augmentation, seed, reestimateBatchNorm,
                    featureViews, WHOLE_BACKBONE);
        }

        /** Settings drawing a new augmented view every epoch. */
        public Settings(int epochs, int batchSize, float learningRate, float backboneLrScale, float weightDecay, Optimiser optimiser,
                Schedule schedule, Augmentation augmentation, long seed, boolean reestimateBatchNorm) {
            this(epochs, batchSize, learningRate, backboneLrScale, weightDecay, optimiser, schedule, augmentation, seed, reestimateBatchNorm, 0);
        }

        /**
         * The settings most methods start from: 30 epochs, batch 64, Adam at lr 1e-3 without weight decay,
         * constant rate, the backbone at the full rate, BatchNorm statistics re-estimated after training.
         */
        public static Settings defaults(Augmentation augmentation, long seed) {
            return new Settings(30, 64, 1e-3f, 1f, 0f, Optimiser.ADAM, Schedule.CONSTANT, augmentation, seed, true);
        }

        /** A copy with the component {@code name} (e.g. {@code epochs}) set to {@code value}. */
        public Settings with(String name, Object value) {
            return Records.with(this, name, value);
        }

        public Settings {
            if (epochs <= 0 || batchSize <= 1 || !(learningRate > 0) || !(backboneLrScale >= 0) || !(weightDecay >= 0) || featureViews < 0
                    || backboneTrainable == null) {
                throw new IllegalArgumentException("invalid training settings: epochs " + epochs + ", batch " + batchSize
                        + ", lr " + learningRate + ", backbone scale " + backboneLrScale + ", weight decay " + weightDecay
                        + ", feature views " + featureViews);
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
            if (featureViews > 0) {
                m.put("feature_views", featureViews);
            }
            if (!WHOLE_BACKBONE.equals(backboneTrainable)) {
                m.put("backbone_trainable", backboneTrainable);
            }
            // a re-estimate replaces the first with the number of images it used
            m.put(DeepHashFunction.BN_STATISTICS, reestimateBatchNorm ? "re-estimated on the un-augmented training images"
                    : "running averages of the last training batches");
            return m;
        }
    }

    /** The training settings a user may change for every method ({@code --epochs 10} and so on). */
    public static final List<Setting<Settings>> SETTINGS = List.of(
            Setting.component("epochs", "N", "Training epochs.", "epochs"),
            Setting.component("batch-size", "N", "Images per training step.", "batchSize"),
            Setting.component("lr", "LR", "Learning rate of the heads.", "learningRate"),
            Setting.component("backbone-lr-scale", "S", "The backbone's learning rate as a fraction of the heads'; 0 freezes it "
                    + "(the default on a pretrained mobilenetv2 backbone; 0.1 on a TorchScript one).",
                    "backboneLrScale"),
            Setting.component("weight-decay", "WD", "L2 weight decay.", "weightDecay"),
            Setting.component("optimizer", "adam|sgd", "Optimiser (SGD with momentum 0.9).", "optimiser"),
            Setting.component("schedule", "step|cosine|constant",
                    "Learning-rate schedule: x0.1 after 80 % of the epochs, half a cosine to 0, or constant.", "schedule"),
            new Setting<>("augment", "none|digits|natural|mocov2|SPEC", "Training-view augmentation: digits = resized crop + "
                    + "rotation 10; natural = crop, flip, jitter, grey, blur; mocov2 = two different views; or a SPEC such as "
                    + "crop=0.8-1,rotate=10 (keys crop=MIN-MAX, rotate=DEG, flip=P, jitter=S[@P], grey=P, blur=P).",
                    s -> AugmentationSpec.nameOf(s.augmentation()), (s, v) -> s.with("augmentation", AugmentationSpec.named(v))),
            Setting.component("feature-views", "K", "Augmented views of each image that training draws its pairs from (0: a new "
                    + "view every epoch); with a frozen pretrained backbone each view's features are computed once and cached "
                    + "(default there: 4).",
                    "featureViews"),
            Setting.component("backbone-trainable", "all|block_N", "Which part of a pretrained backbone trains when "
                    + "--backbone-lr-scale is above 0: all, or the blocks from block_N up to the cut (the layers below stay frozen "
                    + "and their maps are cached, so each epoch runs only the top).",
                    "backboneTrainable"),
            Setting.component("recalibrate-bn", null, "Re-estimate the BatchNorm statistics on the un-augmented training images "
                    + "after training (and before an epoch's evaluation) instead of keeping those of the last augmented batches.",
                    "reestimateBatchNorm"));

    /**
     * Told after every epoch, e.g. to evaluate the current model. {@code current} shares the network
     * being trained, which training goes on changing after the call.
     */
    public interface EpochListener {
        /** Epoch {@code epoch} is done; {@code current} is {@code null} when {@link #needsModel} said no. */
        void epochDone(int epoch, double meanLoss, DeepHashFunction current);

        /**
         * Whether the call after epoch {@code epoch} needs the model (e.g. to evaluate it); when the
         * settings re-estimate the BatchNorm statistics, a model costs a re-estimate, which epochs
         * nobody looks at should not pay.
         */
        default boolean needsModel(int epoch) {
            return true;
        }
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
        private final boolean bySignal;

        Stopped(Path checkpoint, boolean bySignal) {
            super("training stopped; state saved to " + checkpoint + " (continue with --resume)");
            this.checkpoint = checkpoint;
            this.bySignal = bySignal;
        }

        /**
         * Whether a signal (SIGTERM, Ctrl-C) stopped the run. The JVM then exits as soon as its shutdown
         * hook returns, so the hook itself has already reported the checkpoint; a caller must not count
         * on printing anything more.
         */
        public boolean bySignal() {
            return bySignal;
        }

        /** What to tell the user: where the checkpoint is and how to continue. */
        public String describe() {
            return (bySignal ? "stopped by a signal" : "stopped") + ": checkpoint saved to " + checkpoint
                    + "; run the same command with --resume to continue exactly where it stopped";
        }

        /** The checkpoint written before stopping. */
        public Path checkpoint() {
            return checkpoint;
        }
    }
}
