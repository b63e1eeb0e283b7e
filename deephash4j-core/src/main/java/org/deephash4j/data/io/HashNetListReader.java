package org.deephash4j.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Sizes;
import org.deephash4j.io.TextLines;

/**
 * Reads the list files of HashNet and DeepHash-pytorch ({@code train.txt}, {@code test.txt},
 * {@code database.txt}): one image per line, {@code relative/path v1 v2 ... vC}, with C 0/1 values
 * (multi-hot; a row of zeros is an image with no label). Paths are resolved against a root folder
 * and must exist. The number of classes is taken from the first row unless given.
 */
public final class HashNetListReader {

    /** The longest line read: a path and up to a million label values. */
    static final int MAX_LINE_CHARS = 4 << 20;

    private HashNetListReader() {
    }

    /**
     * Reads {@code listFile}, resolving images against {@code imageRoot}.
     *
     * @param numClasses the expected number of label values per row, or 0 to take it from the first row
     */
    public static ImageFileDataset read(String name, Path listFile, Path imageRoot, int numClasses) throws IOException {
        List<Path> files = new ArrayList<>();
        List<byte[]> rows = new ArrayList<>();
        int[] classes = {numClasses};
        TextLines.read(listFile, MAX_LINE_CHARS, (lineNo, line) -> {
            String text = line.strip();
            if (text.isEmpty()) {
                return;
            }
            String[] tokens = text.split("\\s+");
            if (tokens.length < 2) {
                throw new MalformedFileException(listFile, "line " + lineNo + ": expected 'path v1 ... vC', found '" + text + "'");
            }
            if (classes[0] == 0) {
                classes[0] = Sizes.count(listFile, "line 1: number of label values", tokens.length - 1, MultiHotLabels.MAX_CLASSES);
            }
            if (tokens.length - 1 != classes[0]) {
                throw new MalformedFileException(listFile, "line " + lineNo + ": " + (tokens.length - 1)
                        + " label values, expected " + classes[0]);
            }
            byte[] row = new byte[classes[0]];
            for (int c = 0; c < classes[0]; c++) {
                String v = tokens[c + 1];
                if (v.equals("1")) {
                    row[c] = 1;
                } else if (!v.equals("0")) {
                    throw new MalformedFileException(listFile, "line " + lineNo + ": label value '" + v
                            + "' in column " + (c + 1) + " is not 0 or 1");
                }
            }
            Path image = imageRoot.resolve(tokens[0]).normalize();
            if (!Files.isRegularFile(image)) {
                throw new MalformedFileException(listFile, "line " + lineNo + ": image " + image + " does not exist");
            }
            files.add(image);
            rows.add(row);
        });
        if (files.isEmpty()) {
            throw new MalformedFileException(listFile, "no images listed");
        }
        MultiHotLabels.Builder labels = new MultiHotLabels.Builder(rows.size(), classes[0]);
        for (int i = 0; i < rows.size(); i++) {
            byte[] row = rows.get(i);
            for (int c = 0; c < classes[0]; c++) {
                if (row[c] == 1) {
                    labels.add(i, c);
                }
            }
        }
        return new ImageFileDataset(name, files, labels.build(), null);
    }
}
