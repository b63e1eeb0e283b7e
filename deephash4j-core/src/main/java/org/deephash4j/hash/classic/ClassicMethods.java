package org.deephash4j.hash.classic;

import java.util.List;
import java.util.Locale;
import org.deephash4j.hash.HashMethod;

/** The classic methods by command-line name. */
public final class ClassicMethods {

    private static final List<String> NAMES = List.of("lsh", "pcah", "itq", "sh");

    private ClassicMethods() {
    }

    /** {@code lsh}, {@code pcah}, {@code itq}, {@code sh}. */
    public static List<String> names() {
        return NAMES;
    }

    /** The method called {@code name}; ITQ with its default iterations. */
    public static HashMethod byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "lsh" -> new Lsh();
            case "pcah" -> new Pcah();
            case "itq" -> new Itq();
            case "sh" -> new SpectralHashing();
            default -> throw new IllegalArgumentException("unknown method '" + name + "' (classic methods: " + String.join(", ", NAMES) + ")");
        };
    }
}
