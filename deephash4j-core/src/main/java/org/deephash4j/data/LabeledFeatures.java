package org.deephash4j.data;

/** Feature vectors with their labels, row {@code i} of one belonging to item {@code i} of the other. */
public record LabeledFeatures(String name, FeatureMatrix features, MultiHotLabels labels) {

    public LabeledFeatures {
        if (features.rows() != labels.size()) {
            throw new IllegalArgumentException(name + ": " + features.rows() + " feature rows but " + labels.size() + " labels");
        }
    }

    /** Number of items. */
    public int size() {
        return labels.size();
    }
}
