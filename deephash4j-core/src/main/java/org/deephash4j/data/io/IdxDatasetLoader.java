package org.deephash4j.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.InMemoryImageDataset;
import org.deephash4j.io.MalformedFileException;

/**
 * Loads an MNIST-style folder ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each raw or {@code .gz}) as one
 * data set: training images first, then test images.
 */
public final class IdxDatasetLoader {

    private IdxDatasetLoader() {
    }

    /** Loads the four files in {@code dir}. */
    public static BenchmarkImages load(String name, Path dir, int numClasses) throws IOException {
        InMemoryImageDataset train = IdxReader.read(name + "-train", require(dir, "train-images-idx3-ubyte"),
                require(dir, "train-labels-idx1-ubyte"), numClasses);
        InMemoryImageDataset test = IdxReader.read(name + "-test", require(dir, "t10k-images-idx3-ubyte"),
                require(dir, "t10k-labels-idx1-ubyte"), numClasses);
        return new BenchmarkImages(train.concat(name, test), train.size());
    }

    /**
     * The file holding {@code canonical} in {@code dir}: the raw file, its {@code .gz}, or the variant
     * with a dot before {@code idx} ({@code train-images.idx3-ubyte}).
     */
    public static Optional<Path> locate(Path dir, String canonical) {
        String dotted = canonical.replace("-idx", ".idx");
        for (String n : List.of(canonical, canonical + ".gz", dotted, dotted + ".gz")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Path require(Path dir, String canonical) throws MalformedFileException {
        return locate(dir, canonical).orElseThrow(() -> new MalformedFileException(dir,
                "no " + canonical + " (or .gz) in this folder; an MNIST-style folder needs the four IDX files"));
    }
}
