package org.deephash4j.hash.deep;

import java.io.IOException;

/**
 * One of the jobs the training loop does beside the step itself (progress, checkpoints, the models
 * epoch listeners get): told when the run starts, when epochs start and end, after every step, and
 * when the run ends however it ends.
 */
interface TrainingListener {

    /**
     * Where training stands after a step.
     *
     * @param step the step just done (0-based within the epoch)
     * @param firstStep the first step of this epoch in this run (after a resume, the step resumed at)
     * @param lossSum the sum of this epoch's step losses so far
     * @param skipped steps skipped this epoch, by {@link GradientGuard.Verdict} ordinal
     * @param orderAtEpochStart the batch-order generator's state at the start of the epoch
     */
    record StepDone(int epoch, int step, int firstStep, int batch, double lossSum, int[] skipped, long[] orderAtEpochStart,
            long epochStartNanos) {
    }

    /** The run starts, after its state was restored from a checkpoint if it resumes one. */
    default void started() {
    }

    /** Epoch {@code epoch} starts at step {@code firstStep} of {@code steps}. */
    default void epochStarted(int epoch, int firstStep, int steps) {
    }

    /** A step is done. */
    default void stepDone(StepDone s) throws IOException {
    }

    /** Epoch {@code epoch} is done; {@code orderAfterEpoch} is the batch-order generator's state for the next one. */
    default void epochDone(int epoch, double meanLoss, long[] orderAfterEpoch) throws IOException {
    }

    /** The run ended: finished, stopped or failed. */
    default void closed() {
    }
}
