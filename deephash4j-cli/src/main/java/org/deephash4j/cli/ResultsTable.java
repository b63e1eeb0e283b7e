package org.deephash4j.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deephash4j.eval.HashingExperiment;

/** Formats experiment outcomes as a Markdown table with the protocol and conventions stated under it. */
final class ResultsTable {

    private ResultsTable() {
    }

    /**
     * The table of {@code outcomes} on one data set and protocol, with what its figures mean.
     *
     * @param chance the protocol's chance level ({@link org.deephash4j.eval.ChanceLevel})
     * @param bestEpochs per "method bits", the best evaluated epoch and its mAP@1000 / mAP@all (a column is added when
     *     any is given)
     */
    static String markdown(String dataset, String protocol, double chance, List<HashingExperiment.Outcome> outcomes,
            Map<String, String> bestEpochs) {
        boolean best = !bestEpochs.isEmpty();
        StringBuilder sb = new StringBuilder();
        sb.append("| method | bits | mAP@1000 | mAP@all | ").append(best ? "best epoch: mAP@1000 / mAP@all | " : "")
                .append("mAP@1000 tie-aware | P@100 | bit imbalance | fit s | encode s | eval s |\n");
        sb.append("|---|---:|---:|---:|").append(best ? "---:|" : "").append("---:|---:|---:|---:|---:|---:|\n");
        for (HashingExperiment.Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | ", o.method(), o.bits(), o.metrics().mapAt(1000),
                    o.metrics().mapAt(0)));
            if (best) {
                sb.append(bestEpochs.getOrDefault(o.method() + " " + o.bits(), "")).append(" | ");
            }
            sb.append(String.format(Locale.ROOT, "%.4f | %.4f | %.3f | %.2f | %.2f | %.2f |%n", o.metrics().tieAwareMapAt(1000),
                    o.metrics().precisionAt(100), o.bitImbalance(), o.fitSeconds(), o.encodeSeconds(), o.evalSeconds()));
        }
        for (HashingExperiment.Outcome o : outcomes) {
            if (org.deephash4j.codes.BinaryCodes.isCollapsed(o.bitImbalance())) {
                sb.append(String.format(Locale.ROOT, "%n**WARNING: %s at %d bits COLLAPSED** (bit imbalance %.3f >= %.2f: most bits "
                        + "are constant; its mAP is meaningless).%n", o.method(), o.bits(), o.bitImbalance(),
                        org.deephash4j.codes.BinaryCodes.COLLAPSED_IMBALANCE));
            }
        }
        sb.append("\nData set ").append(dataset).append(", protocol ").append(protocol).append(String.format(Locale.ROOT,
                ", chance level %.4f (a random ranking's precision: the mean share of relevant database items)", chance))
                .append(". mAP: DeepHash-pytorch CalcTopMap "
                + "(a query with no relevant item in the top K counts 0), mAP@all over all database items; relevance: a shared "
                + "label; ties by (Hamming distance, database position), tie-aware = expectation over tie orders; "
                + "sign rule: value >= 0 is bit 1; bit imbalance: mean over bits of |mean bit in {-1,+1}| (1 = collapsed)."
                + (best ? " Deep methods: mAP of the last epoch; the best evaluated epoch beside it is chosen on the query set "
                    + "(optimistic)." : ""));
        return sb.toString().strip() + "\n";
    }
}
