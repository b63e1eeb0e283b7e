package org.deephash4j.hash.deep;

import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModelLoader;
import org.deephash4j.hash.ModelContents;

/** Rebuilds saved models of the methods registered in {@link DeepMethods}; a {@link java.util.ServiceLoader} provider. */
public final class DeepModelLoader implements HashModelLoader {

    @Override
    public boolean supports(String method) {
        return DeepMethods.method(method).isPresent();
    }

    @Override
    public HashFunction load(ModelContents contents) {
        DeepMethod<?> method = DeepMethods.method(contents.method()).orElseThrow();
        String backbone = String.valueOf(contents.config().get("backbone"));
        return DeepHashFunction.fromContents(contents, block -> method.encodingBackbone(contents.config(), backbone, block));
    }
}
