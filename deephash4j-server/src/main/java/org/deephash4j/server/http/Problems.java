package org.deephash4j.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** Writes refusals as RFC 9457 problem documents ({@code application/problem+json}): status, title, detail, instance. */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static void send(Context ctx, int status, String detail) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "about:blank");
        p.put("title", HttpStatus.forStatus(status).getMessage());
        p.put("status", status);
        p.put("detail", detail);
        p.put("instance", ctx.path());
        ctx.status(status).contentType(CONTENT_TYPE).result(p.toString());
    }
}
