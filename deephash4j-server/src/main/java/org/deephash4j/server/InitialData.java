package org.deephash4j.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.Image;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.io.ImageFolderReader;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.server.encode.ImageEncoder;
import org.deephash4j.server.store.IndexRegistry;
import org.deephash4j.server.store.Item;
import org.deephash4j.server.store.ServedIndex;

/**
 * What {@code deephash serve} can start from besides its data folder: a saved index file, or a folder
 * of images encoded with a model (with thumbnails, class labels from sub-folders and file names). Each
 * becomes an index once; an index of that name already in the data folder is kept as it is.
 */
public final class InitialData {

    private static final int BATCH = 64;

    private InitialData() {
    }

    /**
     * Imports the index file {@code file} as index {@code name}, searchable by image if {@code model}
     * (nullable) gives codes of its length. Returns false if the index existed already.
     */
    public static boolean importIndexFile(IndexRegistry registry, Path file, String name, ImageEncoder model) throws IOException {
        if (registry.get(name).isPresent()) {
            return false;
        }
        HammingIndex source = IndexFile.load(file);
        String modelName = model != null && model.function().bits() == source.bits() ? model.name() : null;
        ServedIndex index = registry.create(new ServedIndex.Settings(name, source.bits(), source.type().id(), modelName));
        BinaryCodes codes = source.codes();
        for (int from = 0; from < codes.size(); from += 10_000) {
            int[] positions = java.util.stream.IntStream.range(from, Math.min(codes.size(), from + 10_000)).toArray();
            BinaryCodes batch = codes.subset(positions);
            List<Item> items = java.util.Arrays.stream(batch.ids()).mapToObj(Item::bare).toList();
            index.put(items, batch, true);
        }
        index.snapshot();
        return true;
    }

    /**
     * Encodes every image under {@code dir} with {@code model} into index {@code name} (ids: positions in
     * the folder's sorted file list), skipping undecodable files with a line on {@code log}. Returns the
     * number of images added, or -1 if the index existed already.
     */
    public static int importImages(IndexRegistry registry, Path dir, String name, ImageEncoder model, PrintStream log)
            throws IOException {
        if (registry.get(name).isPresent()) {
            return -1;
        }
        List<String> classes = new ArrayList<>();
        ImageFileDataset files = ImageFolderReader.read(name, dir, classes);
        ServedIndex index = registry.create(new ServedIndex.Settings(name, model.function().bits(), "flat", model.name()));
        int added = 0;
        for (int from = 0; from < files.size(); from += BATCH) {
            List<Item> items = new ArrayList<>();
            List<Image> inputs = new ArrayList<>();
            Map<Long, byte[]> thumbs = new HashMap<>();
            for (int i = from; i < Math.min(files.size(), from + BATCH); i++) {
                Path f = files.file(i);
                ImageEncoder.Decoded d;
                try {
                    d = model.decode(Files.readAllBytes(f));
                } catch (IOException | IllegalArgumentException e) {
                    log.println("[serve] skipped " + f + ": " + (e instanceof org.deephash4j.io.MalformedFileException m ? m.problem()
                            : e.getMessage()));
                    continue;
                }
                Map<String, String> meta = new HashMap<>();
                meta.put("filename", dir.relativize(f).toString());
                List<Integer> labels = new ArrayList<>();
                for (int c : files.labels().classesOf(i)) {
                    labels.add(c);
                    meta.put("class", classes.get(c));
                }
                items.add(new Item(i, labels, meta));
                inputs.add(d.input());
                thumbs.put((long) i, d.thumbnail());
            }
            if (!items.isEmpty()) {
                long[] ids = items.stream().mapToLong(Item::id).toArray();
                index.put(items, model.encode(inputs, ids), true, thumbs);
                added += items.size();
            }
        }
        index.snapshot();
        return added;
    }
}
