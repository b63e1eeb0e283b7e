package org.deephash4j.data.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache, import and verification logic, on small fake copies (no download). */
class DatasetRepositoryTest {

    @TempDir
    Path tmp;

    private Path fakeMnistCopy() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("copy"));
        org.deephash4j.data.io.IdxReaderTestSupport.writeMnistFolder(src, 20, 10);
        return src;
    }

    @Test
    void importOfAForeignCopyFailsVerificationAndLeavesNothingCached() throws IOException {
        DatasetRepository repo = new DatasetRepository(new DataHome(tmp.resolve("home")));
        IOException e = assertThrows(IOException.class,
                () -> repo.importFrom(KnownDataset.MNIST, fakeMnistCopy(), true, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("content differs") && e.getMessage().contains("train-images-idx3-ubyte"),
                e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("copy").toString()), "the user's file is named: " + e.getMessage());
        assertTrue(repo.cached(KnownDataset.MNIST).isEmpty());
        Path staging = tmp.resolve("home").resolve("tmp");
        if (Files.exists(staging)) {
            try (var s = Files.list(staging)) {
                assertEquals(0, s.count(), "staging folder left behind");
            }
        }
    }

    @Test
    void unverifiedImportIsCachedMarkedAndLoadable() throws IOException {
        DatasetRepository repo = new DatasetRepository(new DataHome(tmp.resolve("home")));
        Path dir = repo.importFrom(KnownDataset.MNIST, fakeMnistCopy(), false, ProgressListener.NONE);
        assertEquals(dir, repo.cached(KnownDataset.MNIST).orElseThrow());
        assertTrue(repo.isUnverified(KnownDataset.MNIST));
        BenchmarkImages b = repo.load("mnist", ProgressListener.NONE);
        assertEquals(30, b.images().size());
        assertEquals(20, b.trainSize());
    }

    @Test
    void aFolderPathWinsOverTheCache() throws IOException {
        DatasetRepository repo = new DatasetRepository(new DataHome(tmp.resolve("home")));
        BenchmarkImages b = repo.load(fakeMnistCopy().toString(), ProgressListener.NONE);
        assertEquals("copy", b.images().name());
        assertTrue(repo.cached(KnownDataset.MNIST).isEmpty(), "a local path is used in place, not cached");
    }

    @Test
    void damagedCacheIsNotTrusted() throws IOException {
        DatasetRepository repo = new DatasetRepository(new DataHome(tmp.resolve("home")));
        Path dir = repo.importFrom(KnownDataset.MNIST, fakeMnistCopy(), false, ProgressListener.NONE);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
        assertTrue(repo.cached(KnownDataset.MNIST).isEmpty());
        Files.writeString(dir.resolve(DatasetRepository.MARKER), "something else\n");
        assertFalse(repo.cached(KnownDataset.MNIST).isPresent());
    }

    @Test
    void unknownDataSetNamesTheKnownOnes() {
        DatasetRepository repo = new DatasetRepository(new DataHome(tmp.resolve("home")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> repo.load("cifar-10", ProgressListener.NONE));
        assertTrue(e.getMessage().contains("mnist, fashion-mnist"), e.getMessage());
    }
}
