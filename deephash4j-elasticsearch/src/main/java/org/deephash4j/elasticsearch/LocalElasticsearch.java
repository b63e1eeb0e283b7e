package org.deephash4j.elasticsearch;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A single-node Elasticsearch on loopback, run from a distribution zip for tests and benchmarks:
 * unpacked into a work folder, started with security off and a small heap, and stopped (with every
 * process it started) by {@link #close}. Elasticsearch refuses to run as root, so as root it runs as
 * the system user {@value #USER}, created if missing. It needs a JDK 17 to 23 ({@code ES_JAVA_HOME}):
 * the newest such JDK under {@code /usr/lib/jvm} unless one is given.
 */
public final class LocalElasticsearch implements AutoCloseable {

    /** The unprivileged user Elasticsearch runs as when the caller is root. */
    public static final String USER = "deephash-es";
    private static final Pattern JAVA_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private final Process process;
    private final String url;
    private final Path log;

    private LocalElasticsearch(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts Elasticsearch from {@code zip} in {@code workDir} (emptied first) and waits until it answers. */
    public static LocalElasticsearch start(Path zip, Path workDir, Path javaHome) throws IOException, InterruptedException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("no Elasticsearch distribution at " + zip);
        }
        Path jdk = javaHome != null ? javaHome : findJdk().orElseThrow(() -> new IOException(
                "Elasticsearch needs a JDK 17 to 23 (none under /usr/lib/jvm): apt-get install openjdk-17-jdk-headless"));
        org.deephash4j.io.Folders.deleteTree(workDir);
        Files.createDirectories(workDir);
        Path home = unzip(zip, workDir);
        Path data = Files.createDirectories(workDir.resolve("data"));
        Path logs = Files.createDirectories(workDir.resolve("logs"));
        Path tmp = Files.createDirectories(workDir.resolve("tmp"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            ensureUser();
            run(List.of("chown", "-R", USER, workDir.toString()));
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", USER, "--"));
        }
        command.addAll(List.of("env", "ES_JAVA_HOME=" + jdk, "ES_JAVA_OPTS=-Xms512m -Xmx512m", "ES_TMPDIR=" + tmp,
                home.resolve("bin/elasticsearch").toString(),
                "-Expack.security.enabled=false", "-Ediscovery.type=single-node", "-Ehttp.host=127.0.0.1",
                "-Ehttp.port=" + port, "-Etransport.host=127.0.0.1", "-Etransport.port=" + freePort(),
                "-Epath.data=" + data, "-Epath.logs=" + logs, "-Ecluster.routing.allocation.disk.threshold_enabled=false",
                "-Expack.ml.enabled=false"));
        Path out = workDir.resolve("console.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        LocalElasticsearch es = new LocalElasticsearch(p, "http://127.0.0.1:" + port, out);
        try {
            es.awaitHealthy(Duration.ofMinutes(3));
        } catch (IOException | InterruptedException | RuntimeException e) {
            es.close();
            throw e;
        }
        return es;
    }

    /**
     * The distribution zip of the version this module is built against, where Maven keeps it (the build
     * fetches it from Maven Central): {@code ~/.m2/repository/org/elasticsearch/distribution/integ-test-zip/...}.
     */
    public static Path defaultDistribution() throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var in = LocalElasticsearch.class.getResourceAsStream("distribution.properties")) {
            p.load(in);
        }
        String v = p.getProperty("version");
        return Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "elasticsearch", "distribution", "integ-test-zip",
                "elasticsearch", v, "elasticsearch-" + v + ".zip");
    }

    /** The newest JDK 17 to 23 under /usr/lib/jvm, by its {@code release} file. */
    static Optional<Path> findJdk() throws IOException {
        Path root = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        Path best = null;
        int bestVersion = 0;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(d -> !Files.isSymbolicLink(d)).toList()) {
                Path release = d.resolve("release");
                if (Files.isRegularFile(release) && Files.isExecutable(d.resolve("bin/java"))) {
                    Matcher m = JAVA_VERSION.matcher(Files.readString(release));
                    if (m.find()) {
                        int v = Integer.parseInt(m.group(1));
                        if (v >= 17 && v <= 23 && v > bestVersion) {
                            best = d;
                            bestVersion = v;
                        }
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Path unzip(Path zip, Path into) throws IOException {
        Path top = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException(zip + ": entry " + e.getName() + " leaves the folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    if (target.getParent().getFileName().toString().equals("bin")) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
                if (top == null) {
                    top = into.resolve(into.relativize(target).getName(0));
                }
            }
        }
        if (top == null || !Files.isRegularFile(top.resolve("bin/elasticsearch"))) {
            throw new IOException(zip + " is not an Elasticsearch distribution (no bin/elasticsearch)");
        }
        return top;
    }

    private static void ensureUser() throws IOException, InterruptedException {
        if (new ProcessBuilder("id", "-u", USER).start().waitFor() != 0) {
            run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER));
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("Elasticsearch exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/_cluster/health?wait_for_status=yellow"
                        + "&timeout=1s")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException("Elasticsearch did not answer within " + timeout.toSeconds() + " s:\n" + tail());
    }

    /** The last lines Elasticsearch printed. */
    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** Stops Elasticsearch and every process it started. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
    }

}
