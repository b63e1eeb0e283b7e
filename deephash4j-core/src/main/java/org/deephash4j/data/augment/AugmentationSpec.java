package org.deephash4j.data.augment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a view pipeline written on the command line, e.g. {@code crop=0.8-1,rotate=10,flip=0.5}, for
 * tuning augmentation without code. Keys (each at most once; applied in this order whatever order they
 * are written in):
 * <ul>
 *   <li>{@code crop=MIN-MAX}: random resized crop keeping an area fraction in [MIN, MAX] (aspect 3/4-4/3);</li>
 *   <li>{@code rotate=DEG}: random rotation of up to DEG degrees (one affine warp with the crop);</li>
 *   <li>{@code flip=P}: horizontal flip with probability P;</li>
 *   <li>{@code jitter=S} or {@code jitter=S@P}: brightness, contrast and saturation jitter S, with probability P (1);</li>
 *   <li>{@code grey=P}: grayscale with probability P;</li>
 *   <li>{@code blur=P}: Gaussian blur (σ 0.1-2) with probability P.</li>
 * </ul>
 */
public final class AugmentationSpec {

    private static final List<String> KEYS = List.of("crop", "rotate", "flip", "jitter", "grey", "blur");

    private AugmentationSpec() {
    }

    /**
     * The pipeline named {@code name} (none, digits, natural, mocov2), or the one a spec such as
     * {@code crop=0.8-1,rotate=10} describes .
     */
    public static Augmentation named(String name) {
        if (isSpec(name)) {
            return parse(name);
        }
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> Augmentation.none();
            case "digits" -> Augmentation.digits();
            case "natural" -> Augmentation.naturalImages();
            case "mocov2" -> Augmentation.mocov2();
            default -> throw new IllegalArgumentException("unknown augmentation '" + name
                    + "' (none, digits, natural, mocov2, or a spec such as crop=0.8-1,rotate=10,flip=0.5)");
        };
    }

    /** The name {@link #named} knows {@code a} by (none, digits, natural, mocov2), else its description. */
    public static String nameOf(Augmentation a) {
        for (String name : new String[] {"none", "digits", "natural", "mocov2"}) {
            if (named(name).description().equals(a.description())) {
                return name;
            }
        }
        return a.description();
    }

    /** Whether {@code name} is a spec of this form rather than a named pipeline. */
    public static boolean isSpec(String name) {
        return name.contains("=");
    }

    /** The pipeline {@code spec} describes; a clear error names the part that is wrong. */
    public static Augmentation parse(String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] pair = part.split("=", 2);
            String key = pair[0].strip().toLowerCase(Locale.ROOT);
            if (pair.length != 2 || !KEYS.contains(key)) {
                throw new IllegalArgumentException("augmentation '" + spec + "': unknown part '" + part.strip() + "' (known: "
                        + String.join("=..., ", KEYS) + "=...)");
            }
            if (kv.put(key, pair[1].strip()) != null) {
                throw new IllegalArgumentException("augmentation '" + spec + "': '" + key + "' given twice");
            }
        }
        List<Transform> transforms = new ArrayList<>();
        if (kv.containsKey("crop") || kv.containsKey("rotate")) {
            double[] area = kv.containsKey("crop") ? range(spec, kv.get("crop")) : new double[] {1, 1};
            double degrees = kv.containsKey("rotate") ? number(spec, "rotate", kv.get("rotate"), 0, 180) : 0;
            double[] ratio = kv.containsKey("crop") ? new double[] {3.0 / 4, 4.0 / 3} : new double[] {1, 1};
            transforms.add(new RandomResizedCrop(area[0], area[1], ratio[0], ratio[1], degrees));
        }
        if (kv.containsKey("flip")) {
            transforms.add(new HorizontalFlip(probability(spec, "flip", kv.get("flip"))));
        }
        if (kv.containsKey("jitter")) {
            String[] sp = kv.get("jitter").split("@", 2);
            double strength = number(spec, "jitter", sp[0], 0, 1);
            double p = sp.length == 2 ? probability(spec, "jitter", sp[1]) : 1;
            transforms.add(new ColorJitter(strength, strength, strength, p));
        }
        if (kv.containsKey("grey")) {
            transforms.add(new RandomGrayscale(probability(spec, "grey", kv.get("grey"))));
        }
        if (kv.containsKey("blur")) {
            transforms.add(new GaussianBlur(0.1, 2.0, probability(spec, "blur", kv.get("blur"))));
        }
        StringBuilder canonical = new StringBuilder();
        for (String k : KEYS) {
            if (kv.containsKey(k)) {
                canonical.append(canonical.isEmpty() ? "" : ",").append(k).append('=').append(kv.get(k));
            }
        }
        return Augmentation.of(canonical.toString(), transforms.toArray(Transform[]::new));
    }

    private static double[] range(String spec, String value) {
        String[] ends = value.split("-", 2);
        if (ends.length != 2) {
            throw new IllegalArgumentException("augmentation '" + spec + "': crop needs MIN-MAX area fractions, got '" + value + "'");
        }
        double lo = number(spec, "crop", ends[0], 0, 1);
        double hi = number(spec, "crop", ends[1], 0, 1);
        if (!(lo > 0 && lo <= hi)) {
            throw new IllegalArgumentException("augmentation '" + spec + "': crop needs 0 < MIN <= MAX <= 1, got '" + value + "'");
        }
        return new double[] {lo, hi};
    }

    private static double probability(String spec, String key, String value) {
        return number(spec, key, value, 0, 1);
    }

    private static double number(String spec, String key, String value, double min, double max) {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("augmentation '" + spec + "': " + key + " needs a number, got '" + value + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException("augmentation '" + spec + "': " + key + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }
}
