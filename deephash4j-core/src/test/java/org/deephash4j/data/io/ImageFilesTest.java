package org.deephash4j.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.deephash4j.data.Image;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.ImageShape;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HashNet list files and class-per-folder image trees, on generated PNG and JPEG images. */
class ImageFilesTest {

    @TempDir
    Path root;

    static Path png(Path file, int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, file.toString().endsWith(".jpg") ? "jpg" : "png", file.toFile());
        return file;
    }

    static Path greyPng(Path file, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, value);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void hashNetListWithMultiHotLabelsAndAnUnlabelledRow() throws IOException {
        png(root.resolve("imgs/a.png"), 3, 2, 0x102030);
        png(root.resolve("imgs/b.jpg"), 4, 4, 0x808080);
        png(root.resolve("imgs/c.png"), 2, 2, 0xFF0000);
        Path list = Files.writeString(root.resolve("train.txt"),
                "imgs/a.png 1 0 1 0\n\nimgs/b.jpg 0 0 0 0\nimgs/c.png 0 1 1 1\n");
        ImageFileDataset d = HashNetListReader.read("nus", list, root, 0);
        assertEquals(3, d.size());
        assertEquals(4, d.labels().numClasses());
        assertArrayEquals(new int[] {0, 2}, d.labels().classesOf(0));
        assertArrayEquals(new int[] {}, d.labels().classesOf(1));
        assertArrayEquals(new int[] {1, 2, 3}, d.labels().classesOf(2));
        assertFalse(d.labels().isSingleLabel());
        assertTrue(d.labels().relevant(0, d.labels(), 2));
        assertFalse(d.labels().relevant(0, d.labels(), 1));
        Image a = d.image(0);
        assertEquals(new ImageShape(3, 2, 3), a.shape());
        assertEquals(0x10, a.value(0, 1, 2));
        assertEquals(0x20, a.value(1, 0, 0));
        assertEquals(0x30, a.value(2, 1, 1));
        assertTrue(d.fixedShape().isEmpty());
        ImageFileDataset resized = d.resizedTo(new ImageShape(3, 8, 8));
        assertEquals(new ImageShape(3, 8, 8), resized.image(1).shape());
        assertEquals(8 * 8 * 3, resized.pixelFeatures().columns());
    }

    @Test
    void hashNetMalformedRowsAreNamedByLine() throws IOException {
        png(root.resolve("a.png"), 2, 2, 0);
        Path list = root.resolve("l.txt");
        Files.writeString(list, "a.png 1 0\na.png 1 0 1\n");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> HashNetListReader.read("x", list, root, 0));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("3 label values, expected 2"), e.getMessage());
        Files.writeString(list, "a.png 1 2\n");
        e = assertThrows(MalformedFileException.class, () -> HashNetListReader.read("x", list, root, 0));
        assertTrue(e.getMessage().contains("'2'"), e.getMessage());
        Files.writeString(list, "a.png\n");
        assertThrows(MalformedFileException.class, () -> HashNetListReader.read("x", list, root, 0));
        Files.writeString(list, "missing.png 1 0\n");
        e = assertThrows(MalformedFileException.class, () -> HashNetListReader.read("x", list, root, 0));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Files.writeString(list, "a.png 1 0\n");
        e = assertThrows(MalformedFileException.class, () -> HashNetListReader.read("x", list, root, 5));
        assertTrue(e.getMessage().contains("expected 5"), e.getMessage());
        Files.writeString(list, "\n\n");
        assertThrows(MalformedFileException.class, () -> HashNetListReader.read("x", list, root, 0));
    }

    @Test
    void imageFolderNumbersClassesBySortedFolderName() throws IOException {
        png(root.resolve("dog/2.png"), 2, 2, 0x00FF00);
        png(root.resolve("dog/1.png"), 2, 2, 0x0000FF);
        greyPng(root.resolve("cat/x.png"), 3, 3, 200);
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".hidden"));
        List<String> names = new ArrayList<>();
        ImageFileDataset d = ImageFolderReader.read("pets", root, names);
        assertEquals(List.of("cat", "dog"), names);
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {0}, d.labels().classesOf(0));
        assertArrayEquals(new int[] {1}, d.labels().classesOf(1));
        assertTrue(d.file(1).endsWith("dog/1.png"));
        Image grey = d.image(0);
        assertEquals(1, grey.shape().channels());
        assertEquals(200, grey.value(0, 0, 0));
        assertEquals(255, d.image(1).value(2, 1, 1));
    }

    @Test
    void aListFileWithoutLineBreaksIsRefusedByItsBoundNotReadWhole() throws IOException {
        Path list = root.resolve("l.txt");
        Files.writeString(list, "x".repeat(HashNetListReader.MAX_LINE_CHARS + 10));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> HashNetListReader.read("x", list, root, 0));
        assertTrue(e.getMessage().contains("line 1 is longer than"), e.getMessage());
        Files.write(list, new byte[] {'a', (byte) 0xC3, '(', ' ', '1', '\n'});
        e = assertThrows(MalformedFileException.class, () -> HashNetListReader.read("x", list, root, 0));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void aVeryLargeImageIsDecodedSubsampledWhenResizedAndRefusedAtFullSize() throws IOException {
        Path big = root.resolve("big/wide.png");
        BufferedImage img = new BufferedImage(6000, 3000, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[6000];
        java.util.Arrays.fill(row, 90);
        for (int y = 0; y < 3000; y++) {
            img.getRaster().setSamples(0, y, 6000, 1, 0, row);
        }
        Files.createDirectories(big.getParent());
        ImageIO.write(img, "png", big.toFile());
        ImageFileDataset full = ImageFolderReader.read("x", root, null);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> full.image(0));
        assertTrue(e.getMessage().contains("6000 x 3000 pixels"), e.getMessage());
        Image small = full.resizedTo(new org.deephash4j.data.ImageShape(1, 8, 16)).image(0);
        assertEquals(90, small.value(0, 4, 8));
    }

    @Test
    void corruptImageIsNamedWhenDecoded() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Path bad = Files.write(root.resolve("a/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ImageFileDataset d = ImageFolderReader.read("x", root, null);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> d.image(0));
        assertEquals(bad, e.file());
    }

    @Test
    void folderWithoutClassesOrImagesIsRefused() throws IOException {
        assertThrows(MalformedFileException.class, () -> ImageFolderReader.read("x", root, null));
        Files.createDirectories(root.resolve("empty"));
        assertThrows(MalformedFileException.class, () -> ImageFolderReader.read("x", root, null));
        assertThrows(MalformedFileException.class, () -> ImageFolderReader.read("x", root.resolve("nope"), null));
    }
}
