package org.deephash4j.bench;

import java.util.ArrayList;
import java.util.List;

/** Summaries of repeated timings. */
final class Timings {

    private Timings() {
    }

    /** The median of {@code values} (the upper one of an even count). */
    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    /** The smallest of {@code values}, or NaN if there are none. */
    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }
}
