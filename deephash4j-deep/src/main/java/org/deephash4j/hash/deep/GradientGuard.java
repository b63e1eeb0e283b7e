package org.deephash4j.hash.deep;

import java.util.Arrays;

/**
 * Decides, from the global norm of a step's gradients, whether the training loop applies the step:
 * not when the norm is not finite (one overflowing batch), and not when it is a spike, more than
 * {@value #SPIKE_FACTOR} times the median of the last accepted steps. One such step is enough to ruin a
 * run with Adam: its second moment grows by the spike squared and then decays by 0.999 a step, so every
 * later update of the weights it touched is about zero for thousands of steps. Two runs here looked
 * like that (an NSH run whose loss jumped at epoch 5 to the value of random codes and whose codes then
 * did not change for 25 epochs; docs/methods/nsh.md, "Training collapses"); that a spike caused them is the likeliest
 * explanation, not a confirmed one. No healthy run here came near the factor, and a guarded run that
 * meets no spike trains exactly as an unguarded one. Not saved in checkpoints: a resumed run refills its
 * window, and checks for spikes again after {@value #WARM_UP} steps.
 */
final class GradientGuard {

    /** How many times the recent median a gradient norm must exceed to count as a spike. */
    static final double SPIKE_FACTOR = 1000;

    /** Accepted norms the median is taken over. */
    static final int WINDOW = 50;

    /** Accepted steps before spikes are looked for. */
    static final int WARM_UP = 20;

    /** Why a step was skipped. */
    enum Verdict {
        APPLY(null), NON_FINITE("non-finite gradients"), SPIKE("gradient spikes");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        /** What the progress line and errors call it. */
        String reason() {
            return reason;
        }
    }

    private final double[] recent = new double[WINDOW];
    private final double[] sorted = new double[WINDOW];
    private long accepted;

    /** Whether a step whose gradients have global L2 norm {@code norm} is applied, remembering the norm if it is. */
    Verdict check(double norm) {
        if (!Double.isFinite(norm)) {
            return Verdict.NON_FINITE;
        }
        if (accepted >= WARM_UP && norm > SPIKE_FACTOR * median()) {
            return Verdict.SPIKE;
        }
        recent[(int) (accepted++ % WINDOW)] = norm;
        return Verdict.APPLY;
    }

    /** The median of the remembered norms. */
    double median() {
        int n = (int) Math.min(accepted, WINDOW);
        System.arraycopy(recent, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
