package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;

/**
 * What one method gives the {@link TrainingLoop}: the networks, the objective, and what each batch
 * holds (views of every image, labels or none). Built by {@link DeepMethod#task}.
 *
 * @param method the method's name; checkpoints are {@code <method>-checkpoint}
 * @param config the configuration, as the saved model describes it
 * @param encoder the encoding network (backbone, hash layer, normalisation) the saved model keeps;
 *     its first child is the backbone, whose parameters train at the backbone's learning-rate scale
 * @param trainingBlock what the trainer owns and updates: the encoder, or a larger block sharing its children
 * @param viewsTogether whether the training block takes all views in one call (shapes {view, view}) instead of one view a call
 * @param views augmented views made of every image (1 or 2)
 * @param labels the training items' labels, or {@code null} for an unsupervised method
 * @param objective the loss of a batch
 */
public record TrainingTask(String method, DeepConfig config, ImageShape shape, SequentialBlock encoder, Block trainingBlock,
        boolean viewsTogether, int views, MultiHotLabels labels, Objective objective) {

    public TrainingTask {
        if (views < 1 || views > 2) {
            throw new IllegalArgumentException("a task makes 1 or 2 views of an image, got " + views);
        }
    }

    /** A method's loss. */
    public interface Objective {
        /** Called once after the parameters exist and before the first step (e.g. arrays living as long as the run). */
        default void prepare(NDManager manager) {
        }

        /** The loss of one batch; {@code views[v]} has shape {@code (batch, C, H, W)}, labels {@code (batch, classes)} or null. */
        NDArray loss(Trainer trainer, NDArray[] views, NDArray labels);
    }

    /** Code length. */
    public int bits() {
        return config.bits();
    }

    /** Number of label columns (0 when unsupervised). */
    int classes() {
        return labels == null ? 0 : labels.numClasses();
    }

    /** The shapes the training block takes, given one view's batch shape. */
    Shape[] inputShapes(Shape view) {
        return viewsTogether ? new Shape[] {view, view} : new Shape[] {view};
    }

    /** Everything that defines the run; a checkpoint is resumed only by a run with the same identity. */
    Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>(config.describe());
        m.put("bits", config.bits());
        m.put("backbone", config.backbone());
        return m;
    }

    /** The encoding network as a hash function, its native memory owned by {@code owner}. */
    DeepHashFunction function(NDManager manager, AutoCloseable owner) {
        return new DeepHashFunction(method, config.bits(), config.backbone(), shape, config.describe(), manager, encoder, owner);
    }
}
