package org.deephash4j.codes;

/**
 * Order of code bits inside each byte when codes are exchanged as packed {@code uint8} arrays.
 * Hamming distances do not depend on it as long as both sides use the same one.
 */
public enum BitOrder {
    /** Bit 0 of the code is the most significant bit of byte 0: {@code numpy.packbits} (default). */
    BIG,
    /** Bit 0 of the code is the least significant bit of byte 0: Faiss {@code fvecs2bitvecs}, {@code packbits(bitorder='little')}. */
    LITTLE
}
