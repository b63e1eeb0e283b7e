package org.deephash4j.data.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.MalformedFileException;

/**
 * Reads and writes splits as index lists: {@code query.txt}, {@code train.txt} and
 * {@code database.txt}, one position per line, plus {@code protocol.json} with the protocol's
 * parameters. This is what deephash4j writes next to every result, and what a user with a published
 * split gives it.
 */
public final class SplitFiles {

    public static final String QUERY = "query.txt";
    public static final String TRAIN = "train.txt";
    public static final String DATABASE = "database.txt";
    public static final String PROTOCOL = "protocol.json";

    private SplitFiles() {
    }

    /** Writes the split of {@code protocol} on data set {@code datasetName} into {@code dir}. */
    public static void write(Path dir, Protocol protocol, String datasetName, Split split) throws IOException {
        writeList(dir.resolve(QUERY), split.query());
        writeList(dir.resolve(TRAIN), split.train());
        writeList(dir.resolve(DATABASE), split.database());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", datasetName);
        json.put("protocol", protocol.describe());
        json.put("counts", Map.of("query", split.query().length, "train", split.train().length, "database",
                split.database().length));
        json.put("files", Map.of("query", QUERY, "train", TRAIN, "database", DATABASE));
        byte[] text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        AtomicFiles.write(dir.resolve(PROTOCOL), out -> out.write(text));
    }

    /** Reads index lists from {@code dir}; {@code database.txt} is optional (default: all non-queries). */
    public static IndexListProtocol read(Path dir) throws IOException {
        Path q = dir.resolve(QUERY);
        Path t = dir.resolve(TRAIN);
        if (!Files.isRegularFile(q) || !Files.isRegularFile(t)) {
            throw new MalformedFileException(dir, "a split folder needs " + QUERY + " and " + TRAIN + " (and optionally "
                    + DATABASE + ")");
        }
        int[] db = null;
        Path d = dir.resolve(DATABASE);
        if (Files.isRegularFile(d)) {
            db = readList(d, Files.newInputStream(d));
        }
        return new IndexListProtocol(dir.getFileName().toString(), null, readList(q, Files.newInputStream(q)),
                readList(t, Files.newInputStream(t)), db, dir.toString());
    }

    /** Writes one index list, one position per line. */
    public static void writeList(Path file, int[] positions) throws IOException {
        StringBuilder sb = new StringBuilder(positions.length * 6);
        for (int p : positions) {
            sb.append(p).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Reads one index list (blank lines and lines starting with '#' are ignored); sorts it ascending. */
    static int[] readList(Path source, InputStream stream) throws IOException {
        java.util.List<Integer> values = new java.util.ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                try {
                    int v = Integer.parseInt(s);
                    if (v < 0) {
                        throw new NumberFormatException();
                    }
                    values.add(v);
                } catch (NumberFormatException e) {
                    throw new MalformedFileException(source, "line " + lineNo + ": '" + s + "' is not a non-negative index");
                }
            }
        }
        int[] out = values.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int k = 1; k < out.length; k++) {
            if (out[k] == out[k - 1]) {
                throw new MalformedFileException(source, "index " + out[k] + " is listed twice");
            }
        }
        return out;
    }
}
