package org.deephash4j.data.protocol;

import java.util.Map;
import java.util.Optional;
import org.deephash4j.data.MultiHotLabels;

/**
 * A named, reproducible rule that splits a data set into queries, training items and database.
 * The same protocol on the same data always gives the same split. See {@link Protocols} for the
 * named ones.
 */
public interface Protocol {

    /** The protocol's name as it appears in reports. */
    String name();

    /** The data set this protocol is defined for, if it is specific to one. */
    Optional<String> dataset();

    /**
     * The split of a data set with these labels, whose first {@code officialTrainSize} items are the
     * official training set and the rest the official test set.
     */
    Split split(MultiHotLabels labels, int officialTrainSize);

    /** Every parameter of the protocol, for the JSON written next to results. */
    Map<String, Object> describe();
}
