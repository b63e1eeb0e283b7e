package org.deephash4j.hash.deep;

import java.util.Locale;
import org.deephash4j.util.ProgressListener;

/** Reports training to a {@link ProgressListener}: one task per epoch, the mean loss, images/s and skipped steps. */
final class ProgressReport implements TrainingListener {

    private final ProgressListener progress;
    private final int epochs;

    ProgressReport(ProgressListener progress, int epochs) {
        this.progress = progress;
        this.epochs = epochs;
    }

    @Override
    public void epochStarted(int epoch, int firstStep, int steps) {
        progress.start("epoch " + epoch + "/" + epochs, steps - firstStep);
    }

    @Override
    public void stepDone(StepDone s) {
        progress.advance(1);
        progress.status(String.format(Locale.ROOT, "loss %.4f, %.0f images/s%s", s.lossSum() / (s.step() + 1),
                (double) s.batch() * (s.step() + 1 - s.firstStep()) * 1e9 / (System.nanoTime() - s.epochStartNanos()),
                skipped(s.skipped())));
    }

    @Override
    public void epochDone(int epoch, double meanLoss, long[] orderAfterEpoch) {
        progress.finish();
    }

    @Override
    public void closed() {
        progress.finish();
    }

    /** The progress line's note of the steps skipped this epoch, by reason; empty when none was. */
    private static String skipped(int[] counts) {
        StringBuilder note = new StringBuilder();
        for (GradientGuard.Verdict v : GradientGuard.Verdict.values()) {
            int count = counts[v.ordinal()];
            if (count > 0) {
                note.append(", ").append(count).append(count == 1 ? " step" : " steps").append(" skipped (").append(v.reason()).append(')');
            }
        }
        return note.toString();
    }
}
