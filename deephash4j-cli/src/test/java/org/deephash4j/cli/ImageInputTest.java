package org.deephash4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFile;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Image folders and list files reach every command that takes data, as MNIST does; unreadable files are skipped or refused. */
class ImageInputTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /** Three classes of ten colour images of different sizes, with transparency; plus one corrupt and one empty file. */
    private Path folder() throws IOException {
        Path root = tmp.resolve("shapes");
        java.util.Random r = new java.util.Random(3);
        int[] colours = {0xFFE03020, 0xFF20A040, 0xFF3050E0};
        for (int c = 0; c < 3; c++) {
            Path dir = Files.createDirectories(root.resolve("class" + c));
            for (int i = 0; i < 10; i++) {
                int w = 20 + r.nextInt(30);
                int h = 20 + r.nextInt(30);
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        img.setRGB(x, y, (x + y + i) % 5 == 0 ? 0 : colours[c] ^ r.nextInt(0x20));
                    }
                }
                ImageIO.write(img, "png", root.resolve("class" + c).resolve("img" + i + ".png").toFile());
            }
        }
        Files.write(root.resolve("class1/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Files.write(root.resolve("class2/empty.jpg"), new byte[0]);
        Files.writeString(root.resolve("class0/notes.txt"), "ignored: not an image extension");
        return root;
    }

    @Test
    void aFolderOfColourImagesFitsEncodesAndEvaluatesWithUnreadableFilesSkippedAndListed() throws IOException {
        Path root = folder();
        Path model = tmp.resolve("itq.dhm");
        String protocol = "custom:query=2,train=4,seed=1,query-from=all";
        assertEquals(0, Main.execute("fit", "-m", "itq", "-b", "16", "-d", root.toString(), "--shape", "3x8x8", "-p", protocol,
                "-o", model.toString()), console.err());
        assertTrue(console.err().contains("skipped 2 image file(s)") && console.err().contains("broken.png")
                && console.err().contains("empty.jpg"), console.err());
        assertTrue(console.err().contains("on 11 training items of shapes"),
                "the split is drawn over all 32 files (ids never depend on what decodes); the unreadable one it drew is left out: "
                + console.err());
        assertTrue(console.err().matches("(?s).*\\[fit\\] on protocol custom:query=2.*: mAP@1000 [0-9.]+, mAP@all [0-9.]+, bit imbalance "
                + "[0-9.]+ \\(tie-aware mAP@1000 [0-9.]+\\).*"), "a classic fit evaluates on its protocol: " + console.err());
        Path codes = tmp.resolve("c.dhc");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", root.toString(), "--shape", "3x8x8", "-o",
                codes.toString()), console.err());
        BinaryCodes all = CodeFile.read(codes);
        assertEquals(30, all.size(), "the 30 readable images");
        assertEquals(31, all.id(all.size() - 1), "ids are file positions: 32 files in the folder");
        assertTrue(java.util.Arrays.stream(all.ids()).noneMatch(id -> id == 10 || id == 21),
                "class1/broken.png (10) and class2/empty.jpg (21) have no code: " + java.util.Arrays.toString(all.ids()));
        assertEquals(0, Main.execute("eval", "--model", model.toString(), "-d", root.toString(), "--shape", "3x8x8", "-p", protocol,
                "-o", tmp.resolve("report").toString()), console.err());
        String report = Files.readString(tmp.resolve("report/report.json"));
        assertTrue(report.contains("\"map\""), report);
        assertEquals(0, Main.execute("eval", "--codes", codes.toString(), "-d", root.toString(), "-p", protocol,
                "-o", tmp.resolve("report-codes").toString()), console.err());
        assertEquals(figures(tmp.resolve("report/report.json")), figures(tmp.resolve("report-codes/report.json")),
                "codes written by encode evaluate as the model does, without decoding the images again");

        Path queries = tmp.resolve("q.dhc");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", root.toString(), "--shape", "3x8x8", "-p", protocol,
                "--subset", "query", "-o", queries.toString()), console.err());
        BinaryCodes q = CodeFile.read(queries);
        assertEquals(6, q.size(), "two queries per class");
        assertEquals(q, all.subset(all.positionsOf(q.ids())), "a subset's codes are the codes of those items");

        Path index = tmp.resolve("shapes.dhi");
        assertEquals(0, Main.execute("index", "build", "--model", model.toString(), "-d", root.toString(), "--shape", "3x8x8",
                "-o", index.toString()), console.err());
        org.deephash4j.index.HammingIndex built = org.deephash4j.index.IndexFile.load(index);
        assertEquals(30, built.size(), "index build takes the data directly");
        org.deephash4j.index.SearchResult self = built.search(all, 30);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(0, self.distance(i, 0), "every item's own code is in the index");
            long own = all.id(i);
            assertTrue(java.util.Arrays.stream(self.ids(), i * 30, i * 30 + 30).anyMatch(id -> id == own));
        }
        console.reset();
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("encode", "--model", model.toString(), "-d", root.toString(), "--shape",
                "3x8x8", "--strict", "-o", codes.toString()));
        assertTrue(console.err().contains("broken.png") && console.err().contains("--strict"), console.err());
    }

    /** The figures of the one run in a report.json. */
    private static Object figures(Path reportJson) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(reportJson.toFile()).get("runs").get(0).get("figures");
    }

    @Test
    void aListFileAndAnUnlabelledFolderAreDataToo() throws IOException {
        Path root = folder();
        Path list = root.resolve("list.txt");
        Files.writeString(list, "class0/img0.png 1 0\nclass1/img3.png 0 1\nclass2/img5.png 1 1\nclass1/img4.png 0 1\n");
        Path model = tmp.resolve("lsh.dhm");
        assertEquals(0, Main.execute("fit", "-m", "lsh", "-b", "8", "-d", list.toString(), "--shape", "1x6x6", "-o",
                model.toString()), console.err());
        Path codes = tmp.resolve("l.dhc");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", list.toString(), "--shape", "1x6x6", "-o",
                codes.toString()), console.err());
        assertEquals(4, CodeFile.read(codes).size());
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Files.copy(root.resolve("class0/img1.png"), plain.resolve("a.png"));
        Files.copy(root.resolve("class2/img2.png"), plain.resolve("b.png"));
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", plain.toString(), "--shape", "1x6x6", "-o",
                codes.toString()), console.err());
        assertEquals(2, CodeFile.read(codes).size());
    }

    @Test
    void aNpyOfImagePixelsSaysItsShapeAndPlainVectorsAreNotAugmented() throws IOException {
        float[] x = new float[40 * 48];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        Path features = tmp.resolve("pixels.npy");
        Npy.write(features, NpyArray.ofFloats(x, 40, 48));
        assertEquals(2, Main.execute("fit", "-m", "nsh", "-b", "8", "-d", features.toString(), "--epochs", "1", "-o",
                tmp.resolve("n.dhm").toString()));
        assertTrue(console.err().contains("plain feature vectors (1x1x48)") && console.err().contains("--shape"), console.err());
        console.reset();
        assertEquals(2, Main.execute("fit", "-m", "lsh", "-b", "8", "-d", features.toString(), "--shape", "3x4x5", "-o",
                tmp.resolve("l.dhm").toString()));
        assertTrue(console.err().contains("--shape 3x4x5 has 60 values"), console.err());
        console.reset();
        assertEquals(0, Main.execute("fit", "-m", "nsh", "-b", "8", "-d", features.toString(), "--shape", "3x4x4", "--epochs", "1",
                "--batch-size", "8", "-o", tmp.resolve("n.dhm").toString()), console.err());
        assertTrue(console.err().contains("(3x4x4)"), console.err());
    }
}
