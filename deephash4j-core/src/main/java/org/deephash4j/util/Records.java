package org.deephash4j.util;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Locale;

/**
 * Copies of immutable records with one component changed, addressed by name: {@code with(config,
 * "loss.sortTemperature", "0.02")} returns {@code config} with its {@code loss} component replaced by
 * a copy whose {@code sortTemperature} is 0.02. A text value is converted to the component's type
 * (numbers, booleans, enums by name, strings), so settings given on a command line need no per-field
 * code. The copy goes through the canonical constructor: the record's own checks apply to it.
 */
public final class Records {

    private Records() {
    }

    /** The value of the component at {@code path} (dot-separated names) of {@code record}. */
    public static Object get(Record record, String path) {
        int dot = path.indexOf('.');
        Object value = read(record, component(record, dot < 0 ? path : path.substring(0, dot)));
        if (dot < 0) {
            return value;
        }
        if (!(value instanceof Record inner)) {
            throw new IllegalArgumentException(path + ": " + path.substring(0, dot) + " is not a record");
        }
        return get(inner, path.substring(dot + 1));
    }

    /**
     * A copy of {@code record} with the component at {@code path} set to {@code value}: an object of the
     * component's type, or text converted to it.
     *
     * @throws IllegalArgumentException if there is no such component, the text is not a value of its type,
     *     or the record's constructor refuses the result
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, String path, Object value) {
        int dot = path.indexOf('.');
        RecordComponent[] components = record.getClass().getRecordComponents();
        RecordComponent target = component(record, dot < 0 ? path : path.substring(0, dot));
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = read(record, components[i]);
            if (components[i].getName().equals(target.getName())) {
                if (dot < 0) {
                    args[i] = value instanceof String text && target.getType() != String.class ? parse(text, target.getType()) : value;
                } else if (args[i] instanceof Record inner) {
                    args[i] = with(inner, path.substring(dot + 1), value);
                } else {
                    throw new IllegalArgumentException(path + ": " + target.getName() + " is not a record");
                }
            }
        }
        try {
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return (R) canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
        }
    }

    /** {@code text} as a value of {@code type}: a number, {@code true}/{@code false}, an enum constant's name (any case, - for _). */
    public static Object parse(String text, Class<?> type) {
        String t = text.strip();
        try {
            if (type == int.class || type == Integer.class) {
                return Integer.parseInt(t);
            }
            if (type == long.class || type == Long.class) {
                return Long.parseLong(t);
            }
            if (type == float.class || type == Float.class) {
                float f = Float.parseFloat(t);
                if (!Float.isFinite(f)) {
                    throw new NumberFormatException();
                }
                return f;
            }
            if (type == double.class || type == Double.class) {
                double d = Double.parseDouble(t);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a finite " + type.getSimpleName().toLowerCase(Locale.ROOT));
        }
        if (type == boolean.class || type == Boolean.class) {
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(t);
            }
            throw new IllegalArgumentException("'" + text + "' is not true or false");
        }
        if (type.isEnum()) {
            StringBuilder known = new StringBuilder();
            for (Object constant : type.getEnumConstants()) {
                String name = ((Enum<?>) constant).name();
                if (name.equalsIgnoreCase(t.replace('-', '_'))) {
                    return constant;
                }
                known.append(known.length() == 0 ? "" : ", ").append(name.toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new IllegalArgumentException("'" + text + "' is not one of " + known);
        }
        if (type == String.class) {
            return text;
        }
        throw new IllegalArgumentException("a " + type.getSimpleName() + " cannot be given as text");
    }

    private static RecordComponent component(Record record, String name) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no component '" + name + "'");
    }

    private static Object read(Record record, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass().getSimpleName(), e);
        }
    }
}
