package org.deephash4j.server.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A service in its own process for {@link ServerCrashTest}: serves {@code args[0]} on a free loopback port, printing it. */
public final class CrashTarget {

    private CrashTarget() {
    }

    public static void main(String[] args) throws Exception {
        SearchServer server = SearchServer.start(ServerOptions.defaults("127.0.0.1", 0, Path.of(args[0]), HttpFixture.KEY, Map.of()));
        server.closeAtShutdown();
        server.awaitReady(Duration.ofMinutes(1));
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
