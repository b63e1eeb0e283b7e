package org.deephash4j.hash.deep;

import java.util.Map;

/**
 * What every deep method's configuration record has: the code length, the backbone, the shared
 * training settings (a record component named {@code training}), and a description of everything
 * for the saved model. A method's own settings are further components of its record.
 */
public interface DeepConfig {

    /** Code length. */
    int bits();

    /** The backbone's name ({@link org.deephash4j.nn.Backbones}). */
    String backbone();

    /** The optimisation settings every method shares. */
    Training.Settings training();

    /** Every setting, for the saved model's configuration and checkpoints. */
    Map<String, Object> describe();

    /** A copy of {@code config} (a record) with the training settings {@code training}. */
    @SuppressWarnings("unchecked")
    static <C extends DeepConfig> C withTraining(C config, Training.Settings training) {
        if (!(config instanceof Record r)) {
            throw new IllegalArgumentException(config.getClass().getName() + " is not a record");
        }
        return (C) org.deephash4j.util.Records.with(r, "training", training);
    }
}
