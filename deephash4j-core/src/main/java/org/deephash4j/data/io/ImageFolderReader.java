package org.deephash4j.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.MalformedFileException;

/**
 * Reads a folder with one sub-folder per class ({@code root/cat/001.jpg}, {@code root/dog/...}), or a
 * plain folder of images without labels (for encoding and indexing only). Classes are numbered by
 * sub-folder name in sorted order, images by file name; files whose extension is not an image format
 * are ignored, hidden files too.
 */
public final class ImageFolderReader {

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp");

    private ImageFolderReader() {
    }

    /** The data set of images under {@code root}, with the class names in {@code classNamesOut} if not null. */
    public static ImageFileDataset read(String name, Path root, List<String> classNamesOut) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new MalformedFileException(root, "not a folder");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            return unlabelled(name, root);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            List<Path> images;
            try (Stream<Path> s = Files.list(classDirs.get(c))) {
                images = s.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
            }
            for (Path p : images) {
                files.add(p);
                classes.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new MalformedFileException(root, "no images (" + String.join(", ", EXTENSIONS) + ") in any class folder");
        }
        if (classNamesOut != null) {
            classDirs.forEach(d -> classNamesOut.add(d.getFileName().toString()));
        }
        MultiHotLabels labels = MultiHotLabels.ofClasses(classes.stream().mapToInt(Integer::intValue).toArray(), classDirs.size());
        return new ImageFileDataset(name, files, labels, null);
    }

    /** The images directly in {@code root}, without labels (no item has a class). */
    private static ImageFileDataset unlabelled(String name, Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(root)) {
            files = s.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new MalformedFileException(root, "no class sub-folders (root/<class>/<image>) and no images ("
                    + String.join(", ", EXTENSIONS) + ")");
        }
        return new ImageFileDataset(name, files, new MultiHotLabels.Builder(files.size(), 1).build(), null);
    }

    /** Whether {@code dir} holds class sub-folders or images: a folder this reader reads. */
    public static boolean looksLikeImageFolder(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> !p.getFileName().toString().startsWith(".") && (Files.isDirectory(p) || isImage(p)));
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        if (n.startsWith(".")) {
            return false;
        }
        String lower = n.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }
}
