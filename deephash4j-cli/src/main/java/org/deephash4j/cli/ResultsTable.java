package org.deephash4j.cli;

import java.util.List;
import java.util.Locale;
import org.deephash4j.eval.HashingExperiment;

/** Formats experiment outcomes as a Markdown table with the protocol and conventions stated under it. */
final class ResultsTable {

    private ResultsTable() {
    }

    static String markdown(String dataset, String protocol, List<HashingExperiment.Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append("| method | bits | mAP@1000 | mAP@all | mAP@1000 tie-aware | P@100 | bit imbalance | fit s | encode s | eval s |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (HashingExperiment.Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %.4f | %.3f | %.2f | %.2f | %.2f |%n", o.method(),
                    o.bits(), o.metrics().mapAt(1000), o.metrics().mapAt(0), o.metrics().tieAwareMapAt(1000),
                    o.metrics().precisionAt(100), o.bitImbalance(), o.fitSeconds(), o.encodeSeconds(), o.evalSeconds()));
        }
        sb.append("\nData set ").append(dataset).append(", protocol ").append(protocol).append(". mAP: DeepHash-pytorch CalcTopMap "
                + "(a query with no relevant item in the top K counts 0), mAP@all over all database items; relevance: a shared "
                + "label; ties by (Hamming distance, database position), tie-aware = expectation over tie orders; "
                + "sign rule: value >= 0 is bit 1; bit imbalance: mean over bits of |mean bit in {-1,+1}| (1 = collapsed).");
        return sb.toString().strip() + "\n";
    }
}
