package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDManager;
import org.deephash4j.data.FeatureMatrix;

/**
 * Gives an {@link Training.EpochListener} the model of every epoch, and applies the settings' BatchNorm
 * policy to it and to the trained result: when the statistics are re-estimated on the un-augmented
 * training images, the model of an epoch the listener looks at ({@link Training.EpochListener#needsModel})
 * is re-estimated before the call, and when that was the last epoch the result needs no second one.
 */
final class EpochModels implements TrainingListener {

    private final TrainingTask task;
    private final NDManager manager;
    private final FeatureMatrix images;
    private final Training.EpochListener listener;
    private boolean reestimated;

    /**
     * @param manager owns the network's native memory
     * @param images the training images, for the BatchNorm re-estimate
     * @param listener told after every epoch, or {@code null}
     */
    EpochModels(TrainingTask task, NDManager manager, FeatureMatrix images, Training.EpochListener listener) {
        this.task = task;
        this.manager = manager;
        this.images = images;
        this.listener = listener;
    }

    @Override
    public void epochDone(int epoch, double meanLoss, long[] orderAfterEpoch) {
        if (listener == null) {
            return;
        }
        DeepHashFunction current = null;
        if (listener.needsModel(epoch)) {
            current = task.function(manager, () -> { });
            if (task.config().training().reestimateBatchNorm()) {
                current.recalibrateBatchNorm(images);
                reestimated = epoch == task.config().training().epochs();
            }
        }
        listener.epochDone(epoch, meanLoss, current);
    }

    /** The trained function with the settings' BatchNorm statistics. */
    DeepHashFunction result(DeepHashFunction trained) {
        if (reestimated) {
            trained.recordRecalibration(images.rows());
        } else if (task.config().training().reestimateBatchNorm()) {
            trained.recalibrateBatchNorm(images);
        }
        return trained;
    }
}
