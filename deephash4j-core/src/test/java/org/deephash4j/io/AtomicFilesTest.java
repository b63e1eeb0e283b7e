package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: the old content survives a failed write, and the file gets ordinary permissions. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(f.toAbsolutePath().toString()) && e.getMessage().contains("No space left on device"),
                "a full disk is reported naming the file: " + e.getMessage());
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void newFilesAreReadableAndReplacedFilesKeepTheirPermissions() throws IOException {
        Path f = dir.resolve("m.dhm");
        AtomicFiles.writeString(f, "x");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.writeString(f, "y");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("y", Files.readString(f));
    }

    @Test
    void theTemporaryFilesOfACrashedWriteAreRemovedByTheNextWriteAndNothingElseIs() throws IOException {
        Path f = dir.resolve("codes.dhc");
        Path stale = Files.writeString(dir.resolve(".codes.dhc.123456789.tmp"), "left by a kill -9");
        Path fresh = Files.writeString(dir.resolve(".codes.dhc.987654321.tmp"), "a writer that has only just started");
        Path otherTarget = Files.writeString(dir.resolve(".other.dhc.123456789.tmp"), "another file's");
        Path notOurs = Files.writeString(dir.resolve(".codes.dhc.backup.tmp"), "a user's file");
        Path locked = Files.writeString(dir.resolve(".codes.dhc.555.tmp"), "a writer still running");
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (Path p : new Path[] {stale, otherTarget, notOurs, locked}) {
            Files.setLastModifiedTime(p, old);
        }
        try (FileChannel ch = FileChannel.open(locked, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            AtomicFiles.writeString(f, "new");
        }
        assertEquals("new", Files.readString(f));
        assertFalse(Files.exists(stale), "a stale temporary file of this target is removed");
        assertTrue(Files.exists(fresh), "a young one may belong to a writer that has not locked it yet");
        assertTrue(Files.exists(otherTarget) && Files.exists(notOurs), "other names are left alone");
        assertTrue(Files.exists(locked), "a locked one belongs to a running writer");
    }
}
