package org.deephash4j.eval;

/**
 * Expected AP@K over all orders inside tied groups (McSherry &amp; Najork 2008), for the
 * DeepHash-pytorch AP@K, whose normaliser is the number R_K of relevant items in the top K.
 *
 * <p>The ranking is a sequence of tied groups (one per Hamming distance), group g holding n_g items of
 * which r_g are relevant. Inside a group every order is equally likely. For a group entirely inside
 * the top K, preceded by N items of which R are relevant, slot p of the group (1-based) is relevant
 * with probability r/n, and then has R + 1 + (r-1)(p-1)/(n-1) relevant items at or above it in
 * expectation, so the group adds
 * {@code (r/n) [ (R+1) A + (r-1)/(n-1) B ]} with {@code A = sum_p 1/(N+p)} and
 * {@code B = sum_p (p-1)/(N+p) = n - (N+1) A}. The group cut by K contributes its first m slots; the
 * number x of relevant items among them is hypergeometric, and given x the AP's normaliser is fixed,
 * so E[AP@K] = sum_x P(x) (S + c(x)) / (R + x). Harmonic numbers and log-factorials are tabulated
 * once per database size, so a query costs O(groups + min(r, m)).
 */
final class TieAwareAp {

    private final double[] harmonic;
    private final double[] logFactorial;

    /** Tables for rankings of up to {@code n} items. */
    TieAwareAp(int n) {
        harmonic = new double[n + 1];
        logFactorial = new double[n + 1];
        for (int i = 1; i <= n; i++) {
            harmonic[i] = harmonic[i - 1] + 1.0 / i;
            logFactorial[i] = logFactorial[i - 1] + Math.log(i);
        }
    }

    /**
     * Expected sum of precisions at the relevant slots among the first {@code m} slots of a group
     * preceded by {@code before} items ({@code relBefore} relevant), when {@code x} of those m slots
     * hold relevant items placed uniformly.
     */
    double groupContribution(int before, int relBefore, int m, int x) {
        if (x == 0) {
            return 0;
        }
        double a = harmonic[before + m] - harmonic[before];
        double b = m - (before + 1.0) * a;
        double spread = m == 1 ? 0 : (x - 1.0) / (m - 1.0) * b;
        return (double) x / m * ((relBefore + 1.0) * a + spread);
    }

    /**
     * Expected AP@K and expected R_K for a ranking given as tied groups.
     *
     * @param sizes group sizes n_g in rank order
     * @param relevant relevant counts r_g
     * @param groups number of groups to use (the groups must cover at least K items)
     * @param k the cut-off (at most the total size)
     * @param out {@code out[0]} receives E[AP@K], {@code out[1]} E[R_K], {@code out[2]} P(R_K > 0)
     */
    void expected(int[] sizes, int[] relevant, int groups, int k, double[] out) {
        int before = 0;
        int relBefore = 0;
        double sum = 0;
        for (int g = 0; g < groups; g++) {
            int n = sizes[g];
            int r = relevant[g];
            if (n == 0) {
                continue;
            }
            if (before + n <= k) {
                sum += groupContribution(before, relBefore, n, r);
                before += n;
                relBefore += r;
                if (before == k) {
                    break;
                }
                continue;
            }
            int m = k - before;
            cutGroup(before, relBefore, sum, n, r, m, out);
            return;
        }
        out[0] = relBefore == 0 ? 0 : sum / relBefore;
        out[1] = relBefore;
        out[2] = relBefore > 0 ? 1 : 0;
    }

    private void cutGroup(int before, int relBefore, double sum, int n, int r, int m, double[] out) {
        int lo = Math.max(0, m - (n - r));
        int hi = Math.min(r, m);
        double logTotal = logChoose(n, m);
        double ap = 0;
        double pNone = 0;
        for (int x = lo; x <= hi; x++) {
            double p = Math.exp(logChoose(r, x) + logChoose(n - r, m - x) - logTotal);
            int rk = relBefore + x;
            if (rk == 0) {
                pNone += p;
                continue;
            }
            ap += p * (sum + groupContribution(before, relBefore, m, x)) / rk;
        }
        out[0] = ap;
        out[1] = relBefore + (double) m * r / n;
        out[2] = 1 - pNone;
    }

    private double logChoose(int n, int k) {
        return logFactorial[n] - logFactorial[k] - logFactorial[n - k];
    }
}
