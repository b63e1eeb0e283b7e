package org.deephash4j.hash;

/**
 * Rebuilds hash functions of some methods from saved contents. The classic methods' loader is
 * built in; other modules (the deep methods) register theirs with {@link java.util.ServiceLoader}.
 */
public interface HashModelLoader {

    /** Whether this loader rebuilds functions of {@code method}. */
    boolean supports(String method);

    /** The function saved as {@code contents}. */
    HashFunction load(ModelContents contents);
}
