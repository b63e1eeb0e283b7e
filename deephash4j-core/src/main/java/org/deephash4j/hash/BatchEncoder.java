package org.deephash4j.hash;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.util.ProgressListener;

/**
 * Encodes image files one batch at a time, so that memory holds one batch of pixels and the codes,
 * whatever the number of files (100,000 images of 3 x 64 x 64 would take 4.9 GB as features). A code's
 * id is its image's position in the file list; an image that cannot be decoded gets no code.
 */
public final class BatchEncoder {

    /** Images decoded and encoded together by default: large enough to keep every core busy decoding. */
    public static final int DEFAULT_BATCH = 512;

    private BatchEncoder() {
    }

    /**
     * Encodes every image of {@code files} with {@code function}; unreadable files are listed in
     * {@code skipped} (or refused when {@code strict}), as {@link ImageFileDataset#decodeInBatches} does.
     *
     * @return the codes of the images that decoded, in file order, with their positions as ids
     */
    public static BinaryCodes encode(HashFunction function, ImageFileDataset files, int batchSize, boolean strict,
            List<ImageFileDataset.Skipped> skipped, ProgressListener progress) throws IOException {
        int d = files.fixedShape().orElseThrow(() -> new IllegalArgumentException(files.name() + ": give a shape to decode to"))
                .pixels();
        if (function.inputDimension() != d) {
            throw new IllegalArgumentException(function.method() + " model takes " + function.inputDimension()
                    + "-dimensional input, but images of shape " + files.fixedShape().get() + " have " + d + " pixel values");
        }
        CodeBuffer out = new CodeBuffer(function.bits(), Math.min(files.size(), 1 << 16));
        files.decodeInBatches(batchSize, strict, skipped, progress, (first, n, pixels, decoded) -> {
            int rows = 0;
            for (int i = 0; i < n; i++) {
                rows += decoded[i] ? 1 : 0;
            }
            float[] values = new float[rows * d];
            long[] batchIds = new long[rows];
            int r = 0;
            for (int i = 0; i < n; i++) {
                if (decoded[i]) {
                    FeatureMatrix.scalePixels(pixels, i * d, values, r * d, d);
                    batchIds[r++] = first + i;
                }
            }
            if (rows > 0) {
                out.append(function.encode(new FeatureMatrix(rows, d, values), batchIds));
            }
        });
        return out.codes();
    }

    /** Codes appended batch by batch, in amortised constant time. */
    private static final class CodeBuffer {
        private final int bits;
        private final int wordsPerCode;
        private long[] words;
        private long[] ids;
        private int count;

        CodeBuffer(int bits, int capacity) {
            this.bits = bits;
            this.wordsPerCode = BinaryCodes.wordsFor(bits);
            this.words = new long[Math.multiplyExact(Math.max(1, capacity), wordsPerCode)];
            this.ids = new long[Math.max(1, capacity)];
        }

        void append(BinaryCodes codes) {
            assert codes.bits() == bits;
            int n = codes.size();
            if (ids.length < count + n) {
                int capacity = Math.max(count + n, ids.length * 2);
                ids = Arrays.copyOf(ids, capacity);
                words = Arrays.copyOf(words, Math.multiplyExact(capacity, wordsPerCode));
            }
            System.arraycopy(codes.words(), 0, words, count * wordsPerCode, n * wordsPerCode);
            System.arraycopy(codes.ids(), 0, ids, count, n);
            count += n;
        }

        BinaryCodes codes() {
            return BinaryCodes.of(bits, Arrays.copyOf(words, count * wordsPerCode), Arrays.copyOf(ids, count));
        }
    }
}
