package org.deephash4j.server.http;

import java.util.HexFormat;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;

/**
 * Codes as hex strings, most significant bit first: code bit 0 is the high bit of the first byte, the
 * byte order of Elasticsearch's, OpenSearch's and Vespa's bit vectors and of {@code numpy.packbits}.
 */
final class HexCodes {

    private HexCodes() {
    }

    /** The code of {@code hex} for an index of {@code bits} bits, under {@code id}. */
    static BinaryCodes parse(String hex, int bits, long id) {
        if (hex == null) {
            throw ApiProblem.badRequest("a code is missing");
        }
        if (hex.length() != bits / 4) {
            throw ApiProblem.badRequest("a code of " + bits + " bits is " + bits / 4 + " hex digits, got " + hex.length());
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("a code must be hex digits: " + e.getMessage());
        }
        return BinaryCodes.fromPackedBytes(bytes, bits, BitOrder.BIG, new long[] {id});
    }

    /** Code {@code i} of {@code codes} as hex. */
    static String format(BinaryCodes codes, int i) {
        return HexFormat.of().formatHex(codes.subset(new int[] {i}).toPackedBytes(BitOrder.BIG));
    }
}
