package org.deephash4j.cli;

import java.util.Locale;
import java.util.function.Function;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.eval.HashingExperiment.Evaluation;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.deep.DeepHashFunction;
import org.deephash4j.hash.deep.Training;

/**
 * Prints a line after every evaluated training epoch (its loss, mAP@1000, mAP@all and the bit imbalance;
 * the progress display shows the other epochs' loss) and keeps the best evaluated epoch by mAP@all, which is chosen on the query set and so
 * reported only beside the last epoch, as optimistic. Warns loudly when the codes collapsed.
 */
final class EpochReport implements Training.EpochListener {

    private final int epochs;
    private final int every;
    private final boolean evaluateLast;
    private final Function<HashFunction, Evaluation> evaluate;
    private int bestEpoch;
    private Evaluation best;

    /**
     * @param every evaluate every this many epochs (0: only the last)
     * @param evaluateLast evaluate the last epoch here (off when the caller evaluates the result itself)
     * @param evaluate how to evaluate a model, or {@code null} when there is nothing to evaluate against
     */
    EpochReport(int epochs, int every, boolean evaluateLast, Function<HashFunction, Evaluation> evaluate) {
        this.epochs = epochs;
        this.every = every;
        this.evaluateLast = evaluateLast;
        this.evaluate = evaluate;
    }

    @Override
    public void epochDone(int epoch, double meanLoss, DeepHashFunction current) {
        if (!needsModel(epoch)) {
            return; // the progress display already showed the epoch and its loss
        }
        Evaluation e = evaluate.apply(current);
        offer(epoch, e);
        String line = String.format(Locale.ROOT, "[fit] epoch %d: loss %.4f, %s", epoch, meanLoss, figures(e));
        if (epoch == epochs) {
            line += String.format(Locale.ROOT, " (last epoch); best epoch %s (mAP@1000 / mAP@all, chosen on the query set: optimistic)",
                    best());
        }
        if (BinaryCodes.isCollapsed(e.bitImbalance())) {
            line += "\n" + collapseWarning(e.bitImbalance());
        }
        System.err.println(line);
    }

    /** The headline figures of an evaluation, as every command prints them: mAP with its tie-aware value, bit balance. */
    static String figures(Evaluation e) {
        return String.format(Locale.ROOT, "mAP@1000 %.4f, mAP@all %.4f, bit imbalance %.3f (tie-aware mAP@1000 %.4f)",
                e.metrics().mapAt(1000), e.metrics().mapAt(0), e.bitImbalance(), e.metrics().tieAwareMapAt(1000));
    }

    @Override
    public boolean needsModel(int epoch) {
        boolean last = epoch == epochs;
        return evaluate != null && ((last && evaluateLast) || (!last && every > 0 && epoch % every == 0));
    }

    /** Takes an evaluation of epoch {@code epoch} made elsewhere (e.g. the finished model's). */
    void offer(int epoch, Evaluation e) {
        if (best == null || e.metrics().mapAt(0) > best.metrics().mapAt(0)) {
            bestEpoch = epoch;
            best = e;
        }
    }

    /** The best evaluated epoch as "epoch: mAP@1000 / mAP@all", or {@code null} if none was evaluated. */
    String best() {
        return best == null ? null : String.format(Locale.ROOT, "%d: %.4f / %.4f", bestEpoch, best.metrics().mapAt(1000),
                best.metrics().mapAt(0));
    }

    static String collapseWarning(double imbalance) {
        return String.format(Locale.ROOT, "[fit] WARNING: CODES COLLAPSED (bit imbalance %.3f >= %.2f: most bits are the same for "
                + "nearly every item); use a balance mechanism (--balance bn) or a lower learning rate", imbalance,
                BinaryCodes.COLLAPSED_IMBALANCE);
    }
}
