package org.deephash4j.server.http;

import org.deephash4j.server.store.IndexRegistry;

/** What the API's handlers need to know of the running service: its indexes, readiness, uptime and request counts. */
interface ServiceState {

    /** The loaded indexes; a 503 {@link ApiProblem} while they load. */
    IndexRegistry registry();

    boolean ready();

    double uptimeSeconds();

    /** Requests answered with a status of class {@code statusClass} (2 for 2xx ... 5 for 5xx). */
    long requests(int statusClass);
}
