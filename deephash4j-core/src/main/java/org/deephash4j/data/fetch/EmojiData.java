package org.deephash4j.data.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.protocol.IndexListProtocol;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.data.protocol.SplitFiles;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.Folders;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;

/**
 * The emoji benchmark: the 64 x 64 RGBA images of Google's (Apache-2.0) and Twitter's (CC-BY 4.0)
 * emoji sets from the npm packages {@code emoji-datasource-google@16.0.0} and
 * {@code emoji-datasource-twitter@16.0.0}, 3,786 per vendor with the skin-tone variants, described by the
 * packages' {@code emoji.json} (category, subcategory, code points).
 *
 * <p>Items are the Google images, then the Twitter images, each in the package's sort order with an
 * emoji's skin-tone variants after it. Two data sets share these images and differ in their labels and
 * protocol:
 * <ul>
 *   <li>{@code emoji}: label = subcategory (99 classes). Protocol {@code emoji}: the groups (an emoji with
 *       its skin-tone variants, in both styles: near-duplicates) are split, never an image: per
 *       subcategory with three or more groups, one group in ten (at least one) is a query group, whose
 *       default-tone image in each style is a query and whose other images are left out; the database is
 *       every other image, and the training set the images of half of the database's groups.</li>
 *   <li>{@code emoji-cross}: label = the emoji itself (its code point sequence: 3,786 classes).
 *       Protocol {@code emoji-cross}: cross-style instance retrieval, every Google image a query, the
 *       Twitter images the database and the training set; one relevant item per query.</li>
 * </ul>
 */
public final class EmojiData {

    /** The two data set names. */
    public static final String CATEGORY = "emoji";
    public static final String CROSS_STYLE = "emoji-cross";
    static final List<PackageSource> PACKAGES = List.of(
            new PackageSource(PackageSource.Registry.NPM, "emoji-datasource-google", "16.0.0",
                    "fb5fd131b362aab7a55542d2a147a79708cce0a8b1c1bbacd470172708b5c438", "package/"),
            new PackageSource(PackageSource.Registry.NPM, "emoji-datasource-twitter", "16.0.0",
                    "f64a530c63bca463bd8317fdc4615ce63a53a0c65018e4ce2d848aaba7a28877", "package/"));
    static final String ITEMS = "items.tsv";
    /** The shape images are decoded to unless the user asks for another: RGB, 32 x 32 (raw-pixel baselines stay tractable). */
    public static final org.deephash4j.data.ImageShape DEFAULT_SHAPE = new org.deephash4j.data.ImageShape(3, 32, 32);
    private static final String MARKER_TEXT = "emoji-datasource-google@16.0.0 emoji-datasource-twitter@16.0.0, items v1\n";
    private static final long SEED = 2026;

    /** One image: its position, style, file (relative to the cache folder), code points, group and labels. */
    public record Item(int position, String vendor, String file, String unified, int group, String category, String subcategory) {
    }

    private EmojiData() {
    }

    /** Whether {@code name} is one of the two emoji data sets. */
    public static boolean isEmoji(String name) {
        return name.equals(CATEGORY) || name.equals(CROSS_STYLE);
    }

    /** The cache folder, fetching, verifying and unpacking the packages first if needed. */
    public static Path ensure(DataHome home, ProgressListener progress) throws IOException {
        Path dir = home.dataset(CATEGORY);
        if (cached(dir)) {
            return dir;
        }
        Files.createDirectories(home.downloads());
        Path staging = Files.createTempDirectory(home.downloads(), "emoji-");
        try {
            progress.start("fetching the emoji packages (npm, about 136 MB)", PACKAGES.size());
            List<Path> packages = new ArrayList<>();
            for (PackageSource p : PACKAGES) {
                packages.add(PackageFetcher.download(p, staging));
                progress.advance(1);
            }
            progress.finish();
            PackageFetcher.extract(packages.get(0), PACKAGES.get(0), name -> name.equals("emoji.json"), staging);
            for (int i = 0; i < PACKAGES.size(); i++) {
                String vendor = vendor(PACKAGES.get(i));
                PackageSource images = new PackageSource(PackageSource.Registry.NPM, PACKAGES.get(i).name(),
                        PACKAGES.get(i).version(), PACKAGES.get(i).sha256(), "package/img/" + vendor + "/64/");
                PackageFetcher.extract(packages.get(i), images, name -> name.endsWith(".png"), staging.resolve(vendor));
                Files.delete(packages.get(i));
            }
            List<Item> items = index(staging);
            writeItems(staging.resolve(ITEMS), items);
            writeSplits(staging, items);
            return CacheFolders.publish(staging, dir, MARKER_TEXT);
        } finally {
            if (Files.exists(staging)) {
                Folders.deleteTree(staging);
            }
        }
    }

    private static boolean cached(Path dir) throws IOException {
        Path marker = dir.resolve(CacheFolders.MARKER);
        return Files.isRegularFile(marker) && Files.readString(marker).equals(MARKER_TEXT) && Files.isRegularFile(dir.resolve(ITEMS));
    }

    private static String vendor(PackageSource p) {
        return p.name().substring("emoji-datasource-".length());
    }

    /** The items of the unpacked packages in {@code dir}: every image emoji.json lists that is present. */
    static List<Item> index(Path dir) throws IOException {
        JsonNode all = new ObjectMapper().readTree(dir.resolve("emoji.json").toFile());
        List<JsonNode> emojis = new ArrayList<>();
        all.forEach(emojis::add);
        emojis.sort(Comparator.comparingInt(e -> e.path("sort_order").asInt()));
        List<Item> items = new ArrayList<>();
        for (PackageSource p : PACKAGES) {
            String vendor = vendor(p);
            for (int g = 0; g < emojis.size(); g++) {
                JsonNode e = emojis.get(g);
                List<JsonNode> images = new ArrayList<>();
                images.add(e);
                e.path("skin_variations").forEach(images::add);
                for (JsonNode image : images) {
                    String file = vendor + "/" + image.path("image").asText();
                    if (image.path("has_img_" + vendor).asBoolean(false) && Files.isRegularFile(dir.resolve(file))) {
                        items.add(new Item(items.size(), vendor, file, image.path("unified").asText(), g, e.path("category").asText(),
                                e.path("subcategory").asText()));
                    }
                }
            }
        }
        return items;
    }

    private static void writeItems(Path file, List<Item> items) throws IOException {
        StringBuilder b = new StringBuilder("position\tvendor\tfile\tunified\tgroup\tcategory\tsubcategory\n");
        for (Item i : items) {
            b.append(i.position()).append('\t').append(i.vendor()).append('\t').append(i.file()).append('\t').append(i.unified())
                    .append('\t').append(i.group()).append('\t').append(i.category()).append('\t').append(i.subcategory()).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /** The items listed in the cache folder {@code dir}. */
    public static List<Item> readItems(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(ITEMS));
        List<Item> items = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            items.add(new Item(Integer.parseInt(f[0]), f[1], f[2], f[3], Integer.parseInt(f[4]), f[5], f[6]));
        }
        return items;
    }

    /** The labels of data set {@code name}: subcategory, or the emoji's identity (code points). */
    public static MultiHotLabels labels(String name, List<Item> items) {
        Map<String, Integer> classes = new LinkedHashMap<>();
        int[] c = new int[items.size()];
        for (Item i : items) {
            String key = name.equals(CROSS_STYLE) ? i.unified() : i.subcategory();
            c[i.position()] = classes.computeIfAbsent(key, k -> classes.size());
        }
        return MultiHotLabels.ofClasses(c, classes.size());
    }

    /** The split folder of the protocol named {@code name} inside the cache folder. */
    public static Path splitFolder(Path dir, String name) {
        return dir.resolve("split-" + name);
    }

    private static void writeSplits(Path dir, List<Item> items) throws IOException {
        Split category = categorySplit(items);
        SplitFiles.write(splitFolder(dir, CATEGORY), new IndexListProtocol(CATEGORY, CATEGORY, category.query(), category.train(),
                category.database(), "emoji: query groups per subcategory, seed " + SEED), CATEGORY, category);
        int[] google = items.stream().filter(i -> i.vendor().equals("google")).mapToInt(Item::position).toArray();
        int[] twitter = items.stream().filter(i -> i.vendor().equals("twitter")).mapToInt(Item::position).toArray();
        Split cross = new Split(google, twitter, twitter);
        SplitFiles.write(splitFolder(dir, CROSS_STYLE), new IndexListProtocol(CROSS_STYLE, CROSS_STYLE, google, twitter, twitter,
                "emoji: Google queries, Twitter database"), CROSS_STYLE, cross);
    }

    /** The group-aware category split (see the class comment). */
    static Split categorySplit(List<Item> items) {
        Map<String, List<Integer>> groupsBySubcategory = new LinkedHashMap<>();
        Map<Integer, List<Item>> byGroup = new LinkedHashMap<>();
        for (Item i : items) {
            byGroup.computeIfAbsent(i.group(), g -> new ArrayList<>()).add(i);
        }
        for (var e : byGroup.entrySet()) {
            groupsBySubcategory.computeIfAbsent(e.getValue().get(0).subcategory(), s -> new ArrayList<>()).add(e.getKey());
        }
        SeededRandom random = new SeededRandom(SEED);
        List<Integer> query = new ArrayList<>();
        List<Integer> train = new ArrayList<>();
        List<Integer> database = new ArrayList<>();
        for (List<Integer> groups : groupsBySubcategory.values()) {
            List<Integer> order = new ArrayList<>(groups);
            shuffle(order, random);
            int queryGroups = order.size() >= 3 ? Math.max(1, order.size() / 10) : 0;
            for (int k = 0; k < order.size(); k++) {
                List<Item> members = byGroup.get(order.get(k));
                if (k < queryGroups) {
                    firstPerVendor(members).forEach(i -> query.add(i.position()));
                } else {
                    boolean trains = (k - queryGroups) % 2 == 0;
                    for (Item i : members) {
                        database.add(i.position());
                        if (trains) {
                            train.add(i.position());
                        }
                    }
                }
            }
        }
        return new Split(sorted(query), sorted(train), sorted(database));
    }

    private static List<Item> firstPerVendor(List<Item> members) {
        Map<String, Item> first = new LinkedHashMap<>();
        for (Item i : members) {
            first.putIfAbsent(i.vendor(), i);
        }
        return List.copyOf(first.values());
    }

    private static void shuffle(List<Integer> list, SeededRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static int[] sorted(List<Integer> positions) {
        return positions.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The cache folder if the packages have been fetched. */
    static Optional<Path> cachedFolder(DataHome home) throws IOException {
        Path dir = home.dataset(CATEGORY);
        return cached(dir) ? Optional.of(dir) : Optional.empty();
    }
}
