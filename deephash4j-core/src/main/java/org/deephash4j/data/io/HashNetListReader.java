package org.deephash4j.data.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.MalformedFileException;

/**
 * Reads the list files of HashNet and DeepHash-pytorch ({@code train.txt}, {@code test.txt},
 * {@code database.txt}): one image per line, {@code relative/path v1 v2 ... vC}, with C 0/1 values
 * (multi-hot; a row of zeros is an image with no label). Paths are resolved against a root folder
 * and must exist. The number of classes is taken from the first row unless given.
 */
public final class HashNetListReader {

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
        int classes = numClasses;
        try (BufferedReader in = Files.newBufferedReader(listFile, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String text = line.strip();
                if (text.isEmpty()) {
                    continue;
                }
                String[] tokens = text.split("\\s+");
                if (tokens.length < 2) {
                    throw new MalformedFileException(listFile, "line " + lineNo + ": expected 'path v1 ... vC', found '" + text + "'");
                }
                if (classes == 0) {
                    classes = tokens.length - 1;
                }
                if (tokens.length - 1 != classes) {
                    throw new MalformedFileException(listFile, "line " + lineNo + ": " + (tokens.length - 1)
                            + " label values, expected " + classes);
                }
                byte[] row = new byte[classes];
                for (int c = 0; c < classes; c++) {
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
            }
        }
        if (files.isEmpty()) {
            throw new MalformedFileException(listFile, "no images listed");
        }
        MultiHotLabels.Builder labels = new MultiHotLabels.Builder(rows.size(), classes);
        for (int i = 0; i < rows.size(); i++) {
            byte[] row = rows.get(i);
            for (int c = 0; c < classes; c++) {
                if (row[c] == 1) {
                    labels.add(i, c);
                }
            }
        }
        return new ImageFileDataset(name, files, labels.build(), null);
    }
}
