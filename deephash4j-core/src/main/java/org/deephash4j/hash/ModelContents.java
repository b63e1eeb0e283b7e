package org.deephash4j.hash;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a saved hash function consists of: its method, code length, input dimension, a JSON-able
 * configuration (hyper-parameters, provenance), named numeric arrays (stored as float64, which
 * holds float32 and int values exactly, so a loaded function encodes bit-exactly like the original)
 * and named byte sections for parts kept in another format (e.g. a TorchScript module).
 */
public record ModelContents(String method, int bits, int inputDimension, Map<String, Object> config,
        Map<String, double[]> arrays, Map<String, byte[]> sections) {

    public ModelContents {
        config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        Map<String, double[]> copy = new LinkedHashMap<>();
        arrays.forEach((k, v) -> copy.put(k, v.clone()));
        arrays = java.util.Collections.unmodifiableMap(copy);
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        sections.forEach((k, v) -> bytes.put(k, v.clone()));
        sections = java.util.Collections.unmodifiableMap(bytes);
    }

    /** Contents without byte sections. */
    public ModelContents(String method, int bits, int inputDimension, Map<String, Object> config, Map<String, double[]> arrays) {
        this(method, bits, inputDimension, config, arrays, Map.of());
    }

    /** The byte section called {@code name}. */
    public byte[] section(String name) {
        byte[] b = sections.get(name);
        if (b == null) {
            throw new IllegalArgumentException(method + " model lacks the section '" + name + "'");
        }
        return b.clone();
    }

    /** The array called {@code name}, checked to have {@code length} values. */
    public double[] array(String name, int length) {
        double[] a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException(method + " model lacks the array '" + name + "'");
        }
        if (a.length != length) {
            throw new IllegalArgumentException(method + " model array '" + name + "' has " + a.length + " values, expected " + length);
        }
        return a.clone();
    }

    /** The array called {@code name} as floats. */
    public float[] floatArray(String name, int length) {
        double[] a = array(name, length);
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** Widens floats for storage. */
    public static double[] widen(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /** A copy with more configuration entries (e.g. provenance). */
    public ModelContents withConfig(Map<String, Object> more) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.putAll(more);
        return new ModelContents(method, bits, inputDimension, c, arrays, sections);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelContents m) || !method.equals(m.method) || bits != m.bits || inputDimension != m.inputDimension
                || !config.equals(m.config) || !arrays.keySet().equals(m.arrays.keySet()) || !sections.keySet().equals(m.sections.keySet())) {
            return false;
        }
        return arrays.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), m.arrays.get(e.getKey())))
                && sections.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), m.sections.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return method.hashCode() * 31 + bits;
    }
}
