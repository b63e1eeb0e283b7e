package org.deephash4j.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} under writes: a client adds items one at a time while the service process is killed
 * at random moments and restarted, five times. Every acknowledged item must be there afterwards with
 * its code, and nothing else but the one write that may have been in flight at the kill.
 */
class ServerCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private record Running(Process process, HttpFixture http) {
    }

    private Running launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), CrashTarget.class.getName(), data.toString()).redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
            // the service's own log lines come first
        }
        assertTrue(line != null, "the service process did not start");
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe from filling
                }
            } catch (java.io.IOException e) {
                // the process died
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new Running(p, new HttpFixture(Integer.parseInt(line.substring(5).trim())));
    }

    private static String hex(long word) {
        return HexFormat.of().toHexDigits(word);
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillMinusNine() throws Exception {
        Random r = new Random(2026);
        TreeMap<Long, Long> acked = new TreeMap<>();
        Long inFlight = null;
        long nextId = 0;
        Running s = launch();
        assertEquals(201, s.http().send("POST", "/v1/indexes", "{\"name\": \"c\", \"bits\": 64}", true).statusCode());
        for (int round = 0; round < 5; round++) {
            AtomicBoolean killed = new AtomicBoolean();
            Process victim = s.process();
            long delay = 150 + r.nextInt(600);
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                victim.destroyForcibly();
                killed.set(true);
            });
            killer.start();
            while (!killed.get()) {
                long id = nextId++;
                long word = r.nextLong();
                inFlight = id;
                HttpResponse<String> resp;
                try {
                    resp = s.http().send("POST", "/v1/indexes/c/items",
                            "{\"items\": [{\"id\": " + id + ", \"code\": \"" + hex(word) + "\"}]}", true);
                } catch (java.io.IOException e) {
                    break;
                }
                if (resp.statusCode() == 201) {
                    acked.put(id, word);
                    inFlight = null;
                }
            }
            killer.join();
            victim.waitFor(10, TimeUnit.SECONDS);
            s = launch();
            JsonNode stats = JSON.readTree(s.http().send("GET", "/v1/indexes/c", null, false).body());
            int present = stats.get("items").asInt();
            assertTrue(present == acked.size() || (inFlight != null && present == acked.size() + 1),
                    "round " + round + ": " + present + " items present, " + acked.size() + " acknowledged");
            for (long id : new long[] {acked.isEmpty() ? 0 : acked.firstKey(), acked.isEmpty() ? 0 : acked.lastKey(),
                    acked.isEmpty() ? 0 : acked.floorKey(r.nextLong(acked.lastKey() + 1))}) {
                if (acked.containsKey(id)) {
                    JsonNode item = JSON.readTree(s.http().send("GET", "/v1/indexes/c/items/" + id, null, false).body());
                    assertEquals(hex(acked.get(id)), item.get("code").asText(), "item " + id + " after round " + round);
                }
            }
            if (inFlight != null && present == acked.size() + 1) {
                // the write reached the log but its answer was lost to the kill: it is complete, not torn
                JsonNode item = JSON.readTree(s.http().send("GET", "/v1/indexes/c/items/" + inFlight, null, false).body());
                assertEquals(inFlight.longValue(), item.get("id").asLong());
                acked.put(inFlight, HexFormat.fromHexDigitsToLong(item.get("code").asText()));
            }
        }
        // the index equals one built from the acknowledged items: search every 50th one's code, it comes first
        for (long id : acked.keySet()) {
            if (id % 50 == 0) {
                JsonNode res = JSON.readTree(s.http().send("POST", "/v1/indexes/c/search",
                        "{\"code\": \"" + hex(acked.get(id)) + "\", \"k\": 1}", false).body());
                assertEquals(0, res.get("results").get(0).get("distance").asInt());
            }
        }
        assertTrue(acked.size() > 50, "the client got writes through: " + acked.size());
        // SIGTERM: the service snapshots on the way out, so the next start has nothing to replay
        s.process().destroy();
        assertTrue(s.process().waitFor(30, TimeUnit.SECONDS));
        s = launch();
        JsonNode stats = JSON.readTree(s.http().send("GET", "/v1/indexes/c", null, false).body());
        assertEquals(acked.size(), stats.get("items").asInt());
        assertEquals(0, stats.get("logRecords").asInt(), "snapshotted at SIGTERM");
        s.process().destroyForcibly();
        s.process().waitFor(10, TimeUnit.SECONDS);
    }
}
