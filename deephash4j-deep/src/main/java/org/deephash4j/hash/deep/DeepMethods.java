package org.deephash4j.hash.deep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of deep methods: every name the command line, the demo, the model loader and the
 * library accept is found here. The built-in methods are registered below, one line each; code of
 * one's own registers more with {@link #register}.
 */
public final class DeepMethods {

    private static final Map<String, DeepMethod<?>> METHODS = new LinkedHashMap<>();

    static {
        register(OrthoHash.METHOD);
        register(Nsh.METHOD);
        register(ContrastiveHashing.METHOD);
        register(Wch.METHOD);
    }

    private DeepMethods() {
    }

    /**
     * Adds {@code method}, and its variants, to the registry.
     *
     * @throws IllegalArgumentException if it or one of its variants has a name already taken
     */
    public static synchronized void register(DeepMethod<?> method) {
        List<String> names = new ArrayList<>();
        names.add(method.name());
        method.variants().forEach(v -> names.add(v.name()));
        for (String name : names) {
            if (!name.equals(name.toLowerCase(Locale.ROOT)) || name.isBlank()) {
                throw new IllegalArgumentException("method names are lower case, got '" + name + "'");
            }
            if (find(name).isPresent() || names.indexOf(name) != names.lastIndexOf(name)) {
                throw new IllegalArgumentException("a deep method called '" + name + "' is already registered");
            }
        }
        METHODS.put(method.name(), method);
    }

    /** The registered methods, in registration order. */
    public static synchronized List<DeepMethod<?>> all() {
        return List.copyOf(METHODS.values());
    }

    /** The method called {@code name} (not a variant's name), if registered. */
    public static synchronized Optional<DeepMethod<?>> method(String name) {
        return Optional.ofNullable(METHODS.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every name a user may give: the methods and their variants. */
    public static synchronized List<String> names() {
        List<String> names = new ArrayList<>();
        for (DeepMethod<?> m : METHODS.values()) {
            names.add(m.name());
            m.variants().forEach(v -> names.add(v.name()));
        }
        return names;
    }

    /**
     * The method that {@code name} (a method or one of its variants) trains.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static DeepMethod<?> methodOf(String name) {
        return find(name).<DeepMethod<?>>map(Found::method).orElseThrow(
                () -> new IllegalArgumentException("unknown deep method '" + name + "' (" + String.join(", ", names()) + ")"));
    }

    /** Whether {@code name} is a registered deep method or variant. */
    public static boolean isDeep(String name) {
        return find(name).isPresent();
    }

    /**
     * The recipe called {@code name} (a method or one of its variants) with its defaults for
     * {@code bits}-bit codes on backbone {@code backbone} and images of {@code shape}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static DeepRecipe<?> recipe(String name, int bits, String backbone, org.deephash4j.data.ImageShape shape, long seed) {
        return find(name).map(f -> f.recipe(bits, backbone, shape, seed)).orElseThrow(
                () -> new IllegalArgumentException("unknown deep method '" + name + "' (" + String.join(", ", names()) + ")"));
    }

    private static synchronized Optional<Found<?>> find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (DeepMethod<?> m : METHODS.values()) {
            Optional<Found<?>> f = Found.in(m, n);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /** A method and, when the name was a variant's, the variant. */
    private record Found<C extends DeepConfig>(DeepMethod<C> method, DeepMethod.Variant<C> variant) {

        static <C extends DeepConfig> Optional<Found<?>> in(DeepMethod<C> m, String name) {
            if (m.name().equals(name)) {
                return Optional.of(new Found<>(m, null));
            }
            for (DeepMethod.Variant<C> v : m.variants()) {
                if (v.name().equals(name)) {
                    return Optional.of(new Found<>(m, v));
                }
            }
            return Optional.empty();
        }

        DeepRecipe<C> recipe(int bits, String backbone, org.deephash4j.data.ImageShape shape, long seed) {
            C defaults = DeepRecipe.forBackbone(method.defaults(bits, backbone, shape, seed));
            return new DeepRecipe<>(method, variant == null ? method.name() : variant.name(),
                    variant == null ? defaults : variant.change().apply(defaults));
        }
    }
}
