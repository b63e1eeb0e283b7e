package org.deephash4j.server.http;

import org.deephash4j.codes.BinaryCodes;

/** Codes in requests as hex strings ({@link BinaryCodes#fromHex}), refused as 400 problems. */
final class HexCodes {

    private HexCodes() {
    }

    /** The code of {@code hex} for an index of {@code bits} bits, under {@code id}; a 400 problem if it is not one. */
    static BinaryCodes parse(String hex, int bits, long id) {
        if (hex == null) {
            throw ApiProblem.badRequest("a code is missing");
        }
        try {
            return BinaryCodes.fromHex(hex, bits, id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }
}
