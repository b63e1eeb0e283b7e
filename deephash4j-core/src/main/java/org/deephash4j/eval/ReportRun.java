package org.deephash4j.eval;

import java.util.Map;

/**
 * One evaluated run in a report: a name for tables and plot legends, its context (data set, protocol,
 * method, bits, code files) and its figures.
 */
public record ReportRun(String name, Map<String, Object> context, RetrievalMetrics metrics) {

    public ReportRun {
        context = Map.copyOf(context);
    }
}
