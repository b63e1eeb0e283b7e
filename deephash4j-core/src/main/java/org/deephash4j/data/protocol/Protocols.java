package org.deephash4j.data.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deephash4j.data.fetch.DataHome;
import org.deephash4j.data.fetch.EmojiData;
import org.deephash4j.io.MalformedFileException;

/**
 * The named protocols, and the parser for protocol specifications on the command line.
 *
 * <table>
 *   <caption>Protocols</caption>
 *   <tr><th>spec</th><th>queries</th><th>train</th><th>database</th></tr>
 *   <tr><td>{@code mnist}, {@code fashion-mnist}</td><td>1,000: 100 per class from the test set</td>
 *       <td>5,000: 500 per class from the database</td><td>all other 69,000 items</td></tr>
 *   <tr><td>{@code mnist-2}, {@code fashion-mnist-2}</td><td>the 10,000 test images</td>
 *       <td>the 60,000 training images</td><td>the 60,000 training images</td></tr>
 *   <tr><td>{@code mnist-ref}, {@code fashion-mnist-ref}</td><td colspan="3">the index lists of the PyTorch
 *       reference run (same shape as {@code mnist}), shipped with deephash4j</td></tr>
 *   <tr><td>{@code custom:query=Q,train=T,seed=S[,query-from=test|all]}</td><td>Q per class</td>
 *       <td>T per class from the database</td><td>all non-queries</td></tr>
 *   <tr><td>a folder path</td><td colspan="3">index lists ({@link SplitFiles})</td></tr>
 *   <tr><td>{@code val:BASE}</td><td>1,000 of BASE's training items</td><td>BASE's other training items</td>
 *       <td>BASE's database without those queries ({@link ValidationProtocol}: for tuning, never sees BASE's queries)</td></tr>
 *   <tr><td>{@code db-train:BASE}</td><td>BASE's</td><td>BASE's whole database</td><td>BASE's
 *       ({@link DatabaseTrainingProtocol}: unsupervised methods learning from every unlabelled database image)</td></tr>
 * </table>
 * Named protocols use seed 0.
 */
public final class Protocols {

    /** Seed of the named per-class protocols. */
    public static final long DEFAULT_SEED = 0L;

    private static final List<String> NAMED = List.of("mnist", "fashion-mnist", "mnist-2", "fashion-mnist-2",
            "mnist-ref", "fashion-mnist-ref", EmojiData.CATEGORY, EmojiData.CROSS_STYLE);

    private Protocols() {
    }

    /** Names of the built-in protocols. */
    public static List<String> names() {
        return NAMED;
    }

    /** Parses a protocol specification (see the class comment). */
    public static Protocol parse(String spec) throws IOException {
        String s = spec.strip();
        String key = s.toLowerCase(Locale.ROOT);
        switch (key) {
            case "mnist", "fashion-mnist" -> {
                return new PerClassProtocol(key, key, 100, true, 500, DEFAULT_SEED);
            }
            case "mnist-2", "fashion-mnist-2" -> {
                return new OfficialSplitProtocol(key, key.substring(0, key.length() - 2));
            }
            case "mnist-ref", "fashion-mnist-ref" -> {
                return reference(key, key.substring(0, key.length() - 4));
            }
            case EmojiData.CATEGORY, EmojiData.CROSS_STYLE -> {
                Path dir = EmojiData.splitFolder(DataHome.resolve().dataset(EmojiData.CATEGORY), key);
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("protocol " + key + " is made when the emoji data set is fetched: run "
                            + "'deephash data get emoji' first");
                }
                IndexListProtocol lists = SplitFiles.read(dir);
                return new IndexListProtocol(key, key, lists.query(), lists.train(), lists.database(), lists.origin());
            }
            default -> {
            }
        }
        if (key.startsWith(ValidationProtocol.PREFIX)) {
            return new ValidationProtocol(parse(s.substring(ValidationProtocol.PREFIX.length())), ValidationProtocol.DEFAULT_QUERIES,
                    DEFAULT_SEED);
        }
        if (key.startsWith(DatabaseTrainingProtocol.PREFIX)) {
            return new DatabaseTrainingProtocol(parse(s.substring(DatabaseTrainingProtocol.PREFIX.length())));
        }
        if (key.startsWith("custom:")) {
            return custom(s, s.substring("custom:".length()));
        }
        Path dir = Path.of(s);
        if (Files.isDirectory(dir)) {
            return SplitFiles.read(dir);
        }
        throw new IllegalArgumentException("unknown protocol '" + spec + "': use one of " + String.join(", ", NAMED)
                + ", custom:query=Q,train=T,seed=S[,query-from=test|all], a folder with index lists, val:PROTOCOL or db-train:PROTOCOL");
    }

    private static Protocol custom(String spec, String params) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : params.split(",")) {
            String[] pair = part.split("=", 2);
            if (pair.length != 2 || pair[0].isBlank()) {
                throw new IllegalArgumentException("protocol '" + spec + "': expected key=value, found '" + part + "'");
            }
            kv.put(pair[0].strip().toLowerCase(Locale.ROOT), pair[1].strip());
        }
        for (String k : kv.keySet()) {
            if (!List.of("query", "train", "seed", "query-from").contains(k)) {
                throw new IllegalArgumentException("protocol '" + spec + "': unknown parameter '" + k
                        + "' (known: query, train, seed, query-from)");
            }
        }
        if (!kv.containsKey("query") || !kv.containsKey("train") || !kv.containsKey("seed")) {
            throw new IllegalArgumentException("protocol '" + spec + "': query, train and seed are required");
        }
        String from = kv.getOrDefault("query-from", "test");
        if (!from.equals("test") && !from.equals("all")) {
            throw new IllegalArgumentException("protocol '" + spec + "': query-from must be 'test' or 'all', found '" + from + "'");
        }
        try {
            return new PerClassProtocol(spec, null, Integer.parseInt(kv.get("query")), from.equals("test"),
                    Integer.parseInt(kv.get("train")), Long.parseLong(kv.get("seed")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("protocol '" + spec + "': query, train and seed must be integers");
        }
    }

    private static Protocol reference(String name, String dataset) throws IOException {
        String base = "/org/deephash4j/protocols/" + name + "/";
        return new IndexListProtocol(name, dataset, resourceList(base + SplitFiles.QUERY), resourceList(base + SplitFiles.TRAIN),
                null, "the PyTorch reference run's index lists");
    }

    private static int[] resourceList(String resource) throws IOException {
        InputStream in = Protocols.class.getResourceAsStream(resource);
        if (in == null) {
            throw new MalformedFileException(null, "missing built-in resource " + resource);
        }
        return SplitFiles.readList(Path.of(resource), in);
    }
}
