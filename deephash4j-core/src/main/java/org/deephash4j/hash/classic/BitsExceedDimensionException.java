package org.deephash4j.hash.classic;

/**
 * A method that projects onto principal directions (PCAH, ITQ) was asked for more bits than the features
 * have dimensions: a property of the request, not a failure, so an experiment over many code lengths can
 * report the run as not run and go on.
 */
public final class BitsExceedDimensionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    BitsExceedDimensionException(String method, int bits, int dimension) {
        super(method + " needs at most as many bits as feature dimensions (" + dimension + "), got " + bits);
    }
}
