package org.deephash4j.server.http;

/**
 * A request the service refuses, with the HTTP status and a message that says what is wrong; sent as
 * an RFC 9457 {@code application/problem+json} document.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;

    public ApiProblem(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, detail);
    }

    static ApiProblem notFound(String detail) {
        return new ApiProblem(404, detail);
    }
}
