package org.deephash4j.hash.deep;

import java.util.Set;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModelLoader;
import org.deephash4j.hash.ModelContents;

/** Rebuilds saved deep hash functions; registered as a {@link java.util.ServiceLoader} provider. */
public final class DeepModelLoader implements HashModelLoader {

    private static final Set<String> METHODS = Set.of("orthohash", "nsh", "contrastive", "wch");

    @Override
    public boolean supports(String method) {
        return METHODS.contains(method);
    }

    @Override
    public HashFunction load(ModelContents contents) {
        return DeepHashFunction.fromContents(contents);
    }
}
