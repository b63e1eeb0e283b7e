package org.deephash4j.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.InMemoryImageDataset;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.hash.classic.Lsh;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files decoded and encoded a batch at a time give the codes of decoding everything at once, ids = file positions. */
class BatchEncoderTest {

    @TempDir
    Path tmp;

    private static final ImageShape SHAPE = new ImageShape(3, 6, 6);

    /** 23 random colour images of varied sizes; files 4, 9 and 17 unreadable (corrupt, empty, text). */
    private ImageFileDataset files() throws IOException {
        java.util.Random r = new java.util.Random(11);
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Path f = tmp.resolve(String.format("img%02d.png", i));
            if (i == 4) {
                Files.write(f, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
            } else if (i == 9) {
                Files.write(f, new byte[0]);
            } else if (i == 17) {
                Files.writeString(f, "not an image");
            } else {
                BufferedImage img = new BufferedImage(5 + r.nextInt(20), 5 + r.nextInt(20), BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) {
                        img.setRGB(x, y, r.nextInt(1 << 24));
                    }
                }
                ImageIO.write(img, "png", f.toFile());
            }
            paths.add(f);
        }
        return new ImageFileDataset("random", paths, MultiHotLabels.ofClasses(new int[23], 1), SHAPE);
    }

    @Test
    void batchesGiveTheCodesOfDecodingEverythingWithFilePositionsAsIds() throws IOException {
        ImageFileDataset files = files();
        List<ImageFileDataset.Skipped> skippedAll = new ArrayList<>();
        InMemoryImageDataset all = files.decodeAll(false, skippedAll, ProgressListener.NONE);
        assertEquals(List.of(4, 9, 17), skippedAll.stream().map(ImageFileDataset.Skipped::position).toList());
        assertEquals(23, all.size(), "unreadable images keep their positions");
        int[] decoded = java.util.stream.IntStream.range(0, 23).filter(i -> i != 4 && i != 9 && i != 17).toArray();
        FeatureMatrix features = all.pixelFeatures().rows(decoded);
        HashFunction lsh = new Lsh().fit(features, 32, 3);
        BinaryCodes expected = lsh.encode(features, org.deephash4j.data.protocol.Split.ids(decoded));

        for (int batch : new int[] {1, 4, 5, 64}) {
            List<ImageFileDataset.Skipped> skipped = new ArrayList<>();
            BinaryCodes codes = BatchEncoder.encode(lsh, files, batch, false, skipped, ProgressListener.NONE);
            assertEquals(expected, codes, "batch " + batch);
            assertArrayEquals(expected.ids(), codes.ids(), "batch " + batch);
            assertEquals(skippedAll, skipped, "batch " + batch);
        }
    }

    @Test
    void strictRefusesTheFirstUnreadableFileAndAWrongShapeIsNamed() throws IOException {
        ImageFileDataset files = files();
        HashFunction lsh = new Lsh().fit(new FeatureMatrix(2, SHAPE.pixels(), new float[2 * SHAPE.pixels()]), 16, 1);
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> BatchEncoder.encode(lsh, files, 8, true, new ArrayList<>(), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("img04.png") && e.getMessage().contains("--strict"), e.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> BatchEncoder.encode(lsh,
                files.resizedTo(new ImageShape(1, 6, 6)), 8, false, new ArrayList<>(), ProgressListener.NONE));
        assertTrue(wrong.getMessage().contains("108") && wrong.getMessage().contains("36"), wrong.getMessage());
    }

    @Test
    void aFolderWhereNothingDecodesIsRefused() throws IOException {
        Path f = Files.write(tmp.resolve("x.png"), new byte[] {1, 2, 3});
        ImageFileDataset bad = new ImageFileDataset("bad", List.of(f, f), MultiHotLabels.ofClasses(new int[2], 1), SHAPE);
        HashFunction lsh = new Lsh().fit(new FeatureMatrix(2, SHAPE.pixels(), new float[2 * SHAPE.pixels()]), 16, 1);
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> BatchEncoder.encode(lsh, bad, 8, false, new ArrayList<>(), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("none of the 2 images"), e.getMessage());
    }
}
