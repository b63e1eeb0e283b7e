package org.deephash4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mean retrieval figures over a query set, with the configuration that produced them. Arrays are
 * indexed like the configuration's cut-offs; the PR curve by radius is indexed by radius 0..bits.
 * Figures that the configuration did not ask for are NaN (recall) or {@code null} (the curve).
 */
public record RetrievalMetrics(EvalConfig config, int queries, int database, int bits,
        double[] map, double[] tieAwareMap, int[] mapQueriesCounted,
        double[] precision, double[] tieAwarePrecision, double[] recall,
        double[] radiusPrecision, double[] radiusRecall) {

    /** mAP at cut-off {@code k} (0 = all), ties by database position. */
    public double mapAt(int k) {
        return map[mapIndex(k)];
    }

    /** Tie-aware expected mAP at cut-off {@code k}. */
    public double tieAwareMapAt(int k) {
        return tieAwareMap[mapIndex(k)];
    }

    /** Precision at cut-off {@code k}. */
    public double precisionAt(int k) {
        return precision[precisionIndex(k)];
    }

    /** Tie-aware expected precision at cut-off {@code k}. */
    public double tieAwarePrecisionAt(int k) {
        return tieAwarePrecision[precisionIndex(k)];
    }

    /** Recall at cut-off {@code k} (NaN unless the full report was computed). */
    public double recallAt(int k) {
        return recall[precisionIndex(k)];
    }

    /** Mean precision of the items within the configured radius (NaN unless full). */
    public double precisionWithinRadius() {
        return radiusPrecision == null ? Double.NaN : radiusPrecision[Math.min(config.radius(), bits)];
    }

    /** Mean recall of the items within the configured radius (NaN unless full). */
    public double recallWithinRadius() {
        return radiusRecall == null ? Double.NaN : radiusRecall[Math.min(config.radius(), bits)];
    }

    private int mapIndex(int k) {
        int[] ks = config.mapCutoffs();
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] == k) {
                return i;
            }
        }
        throw new IllegalArgumentException("mAP@" + (k == 0 ? "all" : k) + " was not computed");
    }

    private int precisionIndex(int k) {
        int[] ks = config.precisionCutoffs();
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] == k) {
                return i;
            }
        }
        throw new IllegalArgumentException("precision@" + k + " was not computed");
    }

    /** Every figure, for JSON reports. */
    public Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queries", queries);
        m.put("database", database);
        m.put("bits", bits);
        int[] ks = config.mapCutoffs();
        List<Map<String, Object>> maps = new ArrayList<>();
        for (int i = 0; i < ks.length; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("k", ks[i] == 0 ? "all" : ks[i]);
            e.put("map", map[i]);
            e.put("map_tie_aware", tieAwareMap[i]);
            e.put("queries_counted", mapQueriesCounted[i]);
            maps.add(e);
        }
        m.put("map", maps);
        int[] ps = config.precisionCutoffs();
        List<Map<String, Object>> precs = new ArrayList<>();
        for (int i = 0; i < ps.length; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("k", ps[i]);
            e.put("precision", precision[i]);
            e.put("precision_tie_aware", tieAwarePrecision[i]);
            if (config.fullReport()) {
                e.put("recall", recall[i]);
            }
            precs.add(e);
        }
        m.put("precision_at_k", precs);
        if (radiusPrecision != null) {
            m.put("pr_by_radius", Map.of("radius", java.util.stream.IntStream.rangeClosed(0, bits).boxed().toList(),
                    "precision", radiusPrecision, "recall", radiusRecall));
            m.put("within_radius", Map.of("radius", config.radius(), "precision", precisionWithinRadius(), "recall",
                    recallWithinRadius()));
        }
        return m;
    }
}
