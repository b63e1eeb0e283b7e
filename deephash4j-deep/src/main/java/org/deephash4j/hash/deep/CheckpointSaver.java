package org.deephash4j.hash.deep;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Saves the run's checkpoint every N epochs, and when asked to stop (an interrupt, caught by a
 * shutdown hook that waits for the save, or after a set number of steps) saves it after the current
 * step and stops the run with {@link Training.Stopped}.
 */
final class CheckpointSaver implements TrainingListener {

    private final CheckpointFile file;
    private final Training.Checkpoints checkpoints;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch saved = new CountDownLatch(1);
    private final Thread hook;
    private int stepsThisRun;
    private volatile boolean stoppedHere;

    CheckpointSaver(CheckpointFile file, Training.Checkpoints checkpoints) {
        this.file = file;
        this.checkpoints = checkpoints;
        this.hook = new Thread(() -> {
            stopRequested.set(true);
            try {
                if (saved.await(60, TimeUnit.SECONDS) && stoppedHere) {
                    System.err.println(new Training.Stopped(checkpoints.file(), true).describe());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void started() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void stepDone(StepDone s) throws IOException {
        stepsThisRun++;
        if (stopRequested.get() || (checkpoints.stopAfterSteps() > 0 && stepsThisRun >= checkpoints.stopAfterSteps())) {
            file.save(new CheckpointFile.Position(s.epoch(), s.step() + 1, s.orderAtEpochStart(), s.lossSum()));
            stoppedHere = true;
            saved.countDown();
            throw new Training.Stopped(checkpoints.file(), stopRequested.get());
        }
    }

    @Override
    public void epochDone(int epoch, double meanLoss, long[] orderAfterEpoch) throws IOException {
        if (checkpoints.everyEpochs() > 0 && epoch % checkpoints.everyEpochs() == 0) {
            file.save(new CheckpointFile.Position(epoch + 1, 0, orderAfterEpoch, 0));
        }
    }

    @Override
    public void closed() {
        saved.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook is already running
        }
    }
}
