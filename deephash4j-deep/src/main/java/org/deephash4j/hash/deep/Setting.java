package org.deephash4j.hash.deep;

import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.deephash4j.util.Records;

/**
 * One setting of a deep method that a user may change by name, as the command line's
 * {@code --NAME VALUE} does: how to read it from a configuration and how to write a value given as
 * text. The default a user sees is what {@link #read} gives on the method's defaults, so it is
 * written once, in the method's configuration record.
 *
 * @param name the setting's name, e.g. {@code tau-sort} (the option {@code --tau-sort})
 * @param valueLabel what the value looks like in help, e.g. {@code T} or {@code bn|none}
 * @param description one sentence, without the default
 * @param read the current value in configuration {@code C}
 * @param write a copy of a configuration with the value given as text
 * @param <C> the configuration record
 */
public record Setting<C>(String name, String valueLabel, String description, Function<C, Object> read, BiFunction<C, String, C> write) {

    /**
     * The setting stored in the record component at {@code path} (e.g. {@code loss.sortTemperature}),
     * its text converted to the component's type.
     */
    public static <C extends Record> Setting<C> component(String name, String valueLabel, String description, String path) {
        return new Setting<>(name, valueLabel, description, c -> Records.get(c, path), (c, v) -> Records.with(c, path, v));
    }

    /** Whether the value is a boolean (a flag on the command line: {@code --NAME} and {@code --no-NAME}). */
    public boolean isFlag(C defaults) {
        return read.apply(defaults) instanceof Boolean;
    }

    /** {@code config} with this setting at {@code value}; an invalid value is refused with the setting's name. */
    public C apply(C config, String value) {
        try {
            return write.apply(config, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " " + value + ": " + e.getMessage(), e);
        }
    }

    /** The current value as text, as a user would give it. */
    public String show(C config) {
        Object v = read.apply(config);
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return String.valueOf(v);
    }
}
