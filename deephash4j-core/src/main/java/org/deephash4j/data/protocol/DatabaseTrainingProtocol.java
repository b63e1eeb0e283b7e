package org.deephash4j.data.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.deephash4j.data.MultiHotLabels;

/**
 * Another protocol with its whole database as the training set: the usual setting of unsupervised
 * hashing, where unlabelled database images cost nothing to learn from. Queries and database are the
 * base protocol's, so results compare with the base protocol's; the queries are still never trained on.
 * Spec: {@code db-train:BASE}. Supervised methods would learn from every database label, which is
 * not the protocol the field reports for them.
 *
 * @param base the protocol whose database becomes the training set
 */
public record DatabaseTrainingProtocol(Protocol base) implements Protocol {

    /** The specification prefix. */
    public static final String PREFIX = "db-train:";

    @Override
    public String name() {
        return PREFIX + base.name();
    }

    @Override
    public Optional<String> dataset() {
        return base.dataset();
    }

    @Override
    public Split split(MultiHotLabels labels, int officialTrainSize) {
        Split outer = base.split(labels, officialTrainSize);
        return new Split(outer.query(), outer.database(), outer.database());
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name());
        m.put("kind", "the base protocol with its whole database as training set (unsupervised methods)");
        m.put("base", base.describe());
        return m;
    }
}
