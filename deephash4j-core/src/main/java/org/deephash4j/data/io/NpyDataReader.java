package org.deephash4j.data.io;

import java.io.IOException;
import java.nio.file.Path;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.LabeledFeatures;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.io.NpyType;

/**
 * Reads feature vectors and labels from NumPy files: features an {@code n x d} matrix of any supported
 * numeric type (values must be finite); labels either a vector of {@code n} class indices (one-hot)
 * or an {@code n x C} 0/1 matrix (multi-hot).
 */
public final class NpyDataReader {

    private NpyDataReader() {
    }

    /** Reads features and labels and checks that they describe the same items. */
    public static LabeledFeatures read(String name, Path features, Path labels) throws IOException {
        FeatureMatrix f = readFeatures(features);
        MultiHotLabels l = readLabels(labels, 0);
        if (f.rows() != l.size()) {
            throw new MalformedFileException(labels, l.size() + " labels, but " + features.getFileName() + " has "
                    + f.rows() + " rows");
        }
        return new LabeledFeatures(name, f, l);
    }

    /** Reads an {@code n x d} feature matrix. */
    public static FeatureMatrix readFeatures(Path file) throws IOException {
        NpyArray a = Npy.read(file);
        if (a.rank() != 2) {
            throw new MalformedFileException(file, "features must be a 2-D array (n x d), found rank " + a.rank());
        }
        if (a.type() == NpyType.BOOL) {
            throw new MalformedFileException(file, "features must be numeric, found bool");
        }
        try {
            return new FeatureMatrix(a.rows(), a.columns(), a.toFloatArray());
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, e.getMessage());
        }
    }

    /**
     * Reads labels: a 1-D array of class indices, or a 2-D 0/1 matrix.
     *
     * @param numClasses classes for 1-D labels, or 0 for {@code max + 1}
     */
    public static MultiHotLabels readLabels(Path file, int numClasses) throws IOException {
        NpyArray a = Npy.read(file);
        try {
            if (a.rank() == 1) {
                if (a.type() == NpyType.FLOAT32 || a.type() == NpyType.FLOAT64) {
                    throw new MalformedFileException(file, "class indices must be integers, found " + a.type());
                }
                long[] v = a.toLongArray();
                int[] classes = new int[v.length];
                long max = -1;
                for (int i = 0; i < v.length; i++) {
                    if (v[i] < 0 || v[i] >= MultiHotLabels.MAX_CLASSES) {
                        throw new MalformedFileException(file, "class index " + v[i] + " of item " + i + " is outside [0, "
                                + MultiHotLabels.MAX_CLASSES + ")");
                    }
                    classes[i] = (int) v[i];
                    max = Math.max(max, v[i]);
                }
                return MultiHotLabels.ofClasses(classes, numClasses > 0 ? numClasses : (int) max + 1);
            }
            if (a.rank() == 2) {
                byte[] m = new byte[Math.toIntExact(a.size())];
                for (int i = 0; i < m.length; i++) {
                    double v = a.getDouble(i);
                    if (v != 0 && v != 1) {
                        throw new MalformedFileException(file, "label value " + v + " at row " + i / a.columns()
                                + ", column " + i % a.columns() + " is not 0 or 1");
                    }
                    m[i] = (byte) v;
                }
                return MultiHotLabels.ofMatrix(m, a.columns());
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, e.getMessage());
        }
        throw new MalformedFileException(file, "labels must be a vector of class indices or an n x C 0/1 matrix, found rank "
                + a.rank());
    }
}
