package org.deephash4j.data.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deephash4j.io.Folders;
import org.deephash4j.util.ProgressListener;

/**
 * Pretrained networks published in package registries, fetched like the data sets: downloaded, checked
 * against a pinned SHA-256, the model's files unpacked into {@code $DEEPHASH_HOME/models/NAME}, marked
 * complete last. {@code mobilenetv2}: the Keras MobileNetV2 (224 x 224 RGB, ImageNet-pretrained up to
 * block 10) that npm's {@code nsfwjs@4.4.0} (MIT) ships as a TensorFlow.js layers model.
 */
public final class PretrainedPackages {

    private static final Map<String, PackageSource> KNOWN = Map.of(
            "mobilenetv2", new PackageSource(PackageSource.Registry.NPM, "nsfwjs", "4.4.0",
                    "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382", "package/dist/models/mobilenet_v2/"));

    private PretrainedPackages() {
    }

    /** The names of the known pretrained networks. */
    public static java.util.Set<String> names() {
        return KNOWN.keySet();
    }

    /** The folder of pretrained network {@code name}, fetching it first if it is not cached. */
    public static Path ensure(String name, DataHome home, ProgressListener progress) throws IOException {
        PackageSource source = KNOWN.get(name);
        if (source == null) {
            throw new IllegalArgumentException("no pretrained network '" + name + "' (known: " + KNOWN.keySet() + ")");
        }
        Path dir = home.model(name);
        String marker = source.spec() + " sha256:" + source.sha256();
        Path markerFile = dir.resolve(CacheFolders.MARKER);
        if (Files.isRegularFile(markerFile) && Files.readString(markerFile).equals(marker)) {
            return dir;
        }
        Files.createDirectories(home.downloads());
        Path staging = Files.createTempDirectory(home.downloads(), name + "-");
        try {
            progress.start("fetching " + source.spec() + " (npm, about 25 MB)", 1);
            Path pkg = PackageFetcher.download(source, staging);
            progress.finish();
            Path files = staging.resolve("files");
            PackageFetcher.extract(pkg, source, n -> n.endsWith(".js"), files);
            return CacheFolders.publish(files, dir, marker);
        } finally {
            Folders.deleteTree(staging);
        }
    }
}
