package org.deephash4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that readers see either the complete old file or the complete new one, never a
 * half-written one: the content goes to a temporary file in the same folder, is forced to disk,
 * and is then renamed over the target in one atomic step. If writing fails (a crash, a full disk),
 * the temporary file is removed and the previous file is untouched.
 */
public final class AtomicFiles {

    /** Writes the content of one file to the given stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code writer} produces, atomically. Temporary files that an
     * earlier, crashed write to the same target left behind are removed first. An I/O failure (a full
     * disk, say) is reported naming {@code target}, and leaves the previous file as it was.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        removeStaleTemporaries(absolute);
        Path tmp = Files.createTempFile(dir, temporaryPrefix(absolute), TEMPORARY_SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); FileLock lock = channel.lock()) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            keepPermissions(tmp, absolute);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            FileSystemException named = new FileSystemException(absolute.toString(), null, "could not write: " + e.getMessage());
            named.initCause(e);
            throw named;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static final String TEMPORARY_SUFFIX = ".tmp";
    /** A temporary file younger than this may be one another writer has just created and not yet locked. */
    private static final long STALE_AFTER_MILLIS = 10_000;

    /** Temporary files of {@code target} are {@code .NAME.DIGITS.tmp} in its folder. */
    private static String temporaryPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /**
     * Removes the temporary files a crashed write to {@code target} left: only names of this class's own
     * pattern, only when older than a few seconds and not locked by a writer still running (a writer
     * holds a lock on its temporary file until it is renamed; the operating system releases the lock of
     * a process that died).
     */
    static void removeStaleTemporaries(Path target) throws IOException {
        String prefix = temporaryPrefix(target);
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent(), prefix + "*" + TEMPORARY_SUFFIX)) {
            for (Path p : entries) {
                String middle = p.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - TEMPORARY_SUFFIX.length());
                if (middle.isEmpty() || !middle.chars().allMatch(Character::isDigit) || !Files.isRegularFile(p)
                        || now - Files.getLastModifiedTime(p).toMillis() < STALE_AFTER_MILLIS) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
                    if (lock != null) {
                        Files.deleteIfExists(p);
                    }
                } catch (OverlappingFileLockException | IOException e) {
                    // held by a writer in this process, or gone meanwhile: not ours to remove
                }
            }
        }
    }

    /**
     * Gives the temporary file the permissions of the file it replaces, or rw-r--r-- for a new one (a
     * temporary file is created private, rw-------, which a plain write would not have given).
     */
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target) : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, permissions);
    }

    /** Writes a small text file atomically (UTF-8). */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
