package org.deephash4j.server.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.deephash4j.io.Folders;

/**
 * The service's indexes, one folder each under {@code DATA/indexes}: opened at start, created and
 * deleted by name. A deleted index's folder is first renamed aside, so a crash mid-deletion never
 * leaves a half-deleted index that would be opened again.
 */
public final class IndexRegistry implements Closeable {

    private static final String DELETING = ".deleting";

    private final Path root;
    private final ConcurrentHashMap<String, ServedIndex> indexes = new ConcurrentHashMap<>();

    private IndexRegistry(Path root) {
        this.root = root;
    }

    /** Opens every index under {@code dataDir/indexes} (created if absent), finishing interrupted deletions. */
    public static IndexRegistry open(Path dataDir) throws IOException {
        Path root = dataDir.resolve("indexes");
        Files.createDirectories(root);
        IndexRegistry r = new IndexRegistry(root);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (name.contains(DELETING)) {
                    Folders.deleteTree(d);
                } else {
                    r.indexes.put(name, ServedIndex.open(d));
                }
            }
        }
        return r;
    }

    /** Creates an index; refuses ({@link IllegalStateException}) a name in use. */
    public ServedIndex create(ServedIndex.Settings settings) throws IOException {
        synchronized (indexes) {
            if (indexes.containsKey(settings.name())) {
                throw new IllegalStateException("index '" + settings.name() + "' already exists");
            }
            ServedIndex index = ServedIndex.create(root.resolve(settings.name()), settings);
            indexes.put(settings.name(), index);
            return index;
        }
    }

    public Optional<ServedIndex> get(String name) {
        return Optional.ofNullable(indexes.get(name));
    }

    /** Every index, by name. */
    public List<ServedIndex> all() {
        return indexes.values().stream().sorted(Comparator.comparing(i -> i.settings().name())).toList();
    }

    /** Deletes the index {@code name} and its files; returns whether it existed. */
    public boolean delete(String name) throws IOException {
        synchronized (indexes) {
            ServedIndex index = indexes.remove(name);
            if (index == null) {
                return false;
            }
            index.discard();
            Path aside = root.resolve(name + DELETING + "-" + System.nanoTime());
            Files.move(index.folder(), aside);
            Folders.deleteTree(aside);
            return true;
        }
    }

    /** Snapshots and closes every index. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ServedIndex index : indexes.values()) {
            try {
                index.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
