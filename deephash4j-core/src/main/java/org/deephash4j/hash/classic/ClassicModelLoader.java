package org.deephash4j.hash.classic;

import java.util.Set;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModelLoader;
import org.deephash4j.hash.ModelContents;

/** Rebuilds saved LSH, PCAH, ITQ and SH functions. */
public final class ClassicModelLoader implements HashModelLoader {

    private static final Set<String> LINEAR = Set.of("lsh", "pcah", "itq");

    @Override
    public boolean supports(String method) {
        return LINEAR.contains(method) || method.equals("sh");
    }

    @Override
    public HashFunction load(ModelContents contents) {
        return contents.method().equals("sh") ? SpectralHashFunction.fromContents(contents)
                : LinearHashFunction.fromContents(contents);
    }
}
