package org.deephash4j.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deephash4j.eval.HashingExperiment;

/** Formats experiment outcomes as a Markdown table with the protocol and conventions stated under it. */
final class ResultsTable {

    private ResultsTable() {
    }

    static String markdown(String dataset, String protocol, List<HashingExperiment.Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append("| method | bits | mAP@1000 | mAP@all | P@100 | bit imbalance | fit s | encode s | eval s |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (HashingExperiment.Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %.3f | %.2f | %.2f | %.2f |%n", o.method(),
                    o.bits(), o.metrics().mapAt(1000), o.metrics().mapAt(0), o.metrics().precisionAt(100), o.bitImbalance(),
                    o.fitSeconds(), o.encodeSeconds(), o.evalSeconds()));
        }
        sb.append("\nData set ").append(dataset).append(", protocol ").append(protocol).append(". ");
        conventions().forEach((k, v) -> sb.append(k).append(": ").append(v).append(". "));
        return sb.toString().strip() + "\n";
    }

    static Map<String, String> conventions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mAP", "DeepHash-pytorch CalcTopMap definition (AP over relevant items in the top K; a query with none counts 0); "
                + "mAP@all ranks all database items");
        m.put("relevance", "query and item share a label");
        m.put("ties", "by (Hamming distance, database position) ascending");
        m.put("sign rule", "value >= 0 is bit 1");
        m.put("bit imbalance", "mean over bits of |mean bit in {-1,+1}| over the database codes (1 = collapsed)");
        return m;
    }
}
