package org.deephash4j.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.server.store.IndexRegistry;

/**
 * The search service: an HTTP server (Javalin on Jetty, virtual threads) over the indexes of a data
 * folder. It listens at once and loads the indexes in the background ({@code /v1/ready} answers 503
 * until they are loaded); {@link #close} stops accepting, lets requests in flight finish, and
 * snapshots every index.
 */
public final class SearchServer implements AutoCloseable, ServiceState {

    private final ServerOptions options;
    private final Javalin app;
    private final long startedNanos = System.nanoTime();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final AtomicLongArray requestsByClass = new AtomicLongArray(6);
    private volatile IndexRegistry registry;
    private volatile Exception loadFailure;

    private SearchServer(ServerOptions options) {
        this.options = options;
        ApiKey key = options.apiKey() == null ? null : new ApiKey(options.apiKey());
        IndexApi api = new IndexApi(options, this);
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.http.maxRequestSize = options.maxBodyBytes();
            config.jetty.multipartConfig.cacheDirectory(options.dataDir().resolve("tmp").toString());
            config.jetty.multipartConfig.maxTotalRequestSize(options.maxBodyBytes(), io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxFileSize(options.maxBodyBytes(), io.javalin.config.SizeUnit.BYTES);
            config.jetty.modifyServer(server -> server.setStopTimeout(10_000));
            config.startup.showJavalinBanner = false;
            config.staticFiles.enableWebjars();
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/org/deephash4j/server/web";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                files.headers = java.util.Map.of("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'",
                        "X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache");
            });
            config.routes.before("/v1/*", ctx -> {
                cors(ctx);
                if (key != null && IndexApi.needsKey(ctx) && !key.matches(presentedKey(ctx))) {
                    throw new ApiProblem(401, ctx.header("Authorization") == null && ctx.header("X-API-Key") == null
                            ? "this request needs the API key (header 'Authorization: Bearer KEY' or 'X-API-Key: KEY')"
                            : "the API key is wrong");
                }
            });
            config.routes.after(ctx -> requestsByClass.incrementAndGet(Math.min(5, ctx.statusCode() / 100)));
            api.register(config.routes);
            config.routes.exception(ApiProblem.class, (e, ctx) -> Problems.send(ctx, e.status(), e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.send(ctx, e.getStatus(), switch (e.getStatus()) {
                case 413 -> "the request body is larger than the " + options.maxBodyBytes() + " bytes allowed";
                case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
                case 405 -> ctx.method() + " is not allowed on " + ctx.path();
                default -> e.getMessage();
            }));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> Problems.send(ctx, 400, e.getMessage()));
            config.routes.exception(IllegalStateException.class, (e, ctx) -> Problems.send(ctx, 409, e.getMessage()));
            config.routes.exception(MalformedFileException.class, (e, ctx) -> Problems.send(ctx, 422, e.problem()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (isMultipartTrouble(e)) {
                    Problems.send(ctx, 400, "malformed multipart body: " + e.getMessage());
                    return;
                }
                System.err.println("[serve] internal error on " + ctx.method() + " " + ctx.path() + ":");
                e.printStackTrace();
                Problems.send(ctx, 500, "internal error (the server's log has the details)");
            });
        });
    }

    private static boolean isMultipartTrouble(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("multipart") || m.contains("boundary")) {
                return true;
            }
        }
        return false;
    }

    private static String presentedKey(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return ctx.header("X-API-Key");
    }

    private void cors(Context ctx) {
        String origin = ctx.header("Origin");
        if (options.corsOrigin() != null && options.corsOrigin().equals(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
    }

    /** Starts listening, then loads the indexes in the background. */
    public static SearchServer start(ServerOptions options) throws IOException {
        Files.createDirectories(options.dataDir().resolve("tmp"));
        SearchServer s = new SearchServer(options);
        s.app.start();
        Thread.ofPlatform().name("deephash-load").start(() -> {
            try {
                s.registry = IndexRegistry.open(options.dataDir());
            } catch (Exception e) {
                s.loadFailure = e;
                System.err.println("[serve] the indexes could not be loaded: " + e.getMessage());
            } finally {
                s.loaded.countDown();
            }
        });
        return s;
    }

    /** The port the service listens on. */
    public int port() {
        return app.port();
    }

    /** Waits until the indexes are loaded; false on timeout. Throws what failed the loading. */
    public boolean awaitReady(Duration timeout) throws Exception {
        boolean done = loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (loadFailure != null) {
            throw loadFailure;
        }
        return done;
    }

    /** The loaded indexes (after {@link #awaitReady}); a 503 {@link ApiProblem} while they load. */
    @Override
    public IndexRegistry registry() {
        IndexRegistry r = registry;
        if (r == null) {
            throw new ApiProblem(503, loadFailure != null ? "the indexes could not be loaded: " + loadFailure.getMessage()
                    : "the indexes are still loading");
        }
        return r;
    }

    @Override
    public boolean ready() {
        return registry != null;
    }

    @Override
    public double uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    @Override
    public long requests(int statusClass) {
        return requestsByClass.get(statusClass);
    }

    /** Closes the service when the JVM is asked to stop (SIGTERM, Ctrl-C), before it exits. */
    public void closeAtShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("[serve] stopping: finishing requests, snapshotting the indexes...");
            try {
                close();
            } catch (IOException | RuntimeException e) {
                System.err.println("[serve] error while stopping: " + e.getMessage());
            }
        }, "deephash-shutdown"));
    }

    /** Stops accepting, lets requests in flight finish, snapshots every index. */
    @Override
    public void close() throws IOException {
        app.stop();
        try {
            loaded.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (registry != null) {
            registry.close();
        }
    }
}
