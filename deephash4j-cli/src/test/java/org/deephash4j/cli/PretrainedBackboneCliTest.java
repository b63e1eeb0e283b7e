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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The pretrained backbone from the command line: fetched by {@code data get}, the demo's default on colour images, fit and encode. */
@org.junit.jupiter.api.Tag("integration")
class PretrainedBackboneCliTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /** Three classes of eight colour images (a colour and a stripe direction each). */
    private Path folder() throws IOException {
        Path root = tmp.resolve("stripes");
        int[] colours = {0xE03020, 0x20A040, 0x3050E0};
        for (int c = 0; c < 3; c++) {
            Path dir = Files.createDirectories(root.resolve("class" + c));
            for (int i = 0; i < 8; i++) {
                BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 24; y++) {
                    for (int x = 0; x < 24; x++) {
                        img.setRGB(x, y, ((c == 1 ? x : y) + i) % 6 < 3 ? colours[c] : 0xF0F0F0);
                    }
                }
                ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void dataGetFetchesTheNetwork() {
        assertEquals(0, Main.execute("data", "get", "mobilenetv2"), console.err());
        assertTrue(console.out().contains("mobilenetv2: ready in"), console.out());
    }

    @Test
    void theDemoHashesPretrainedFeaturesOfColourImagesByDefault() throws IOException {
        Path out = tmp.resolve("demo");
        assertEquals(0, Main.execute("demo", "-d", folder().toString(), "--shape", "3x24x24", "-p", "custom:query=2,train=4,seed=1,query-from=all",
                "-m", "itq,orthohash", "-b", "16", "--deep-epochs", "1", "-o", out.toString()), console.err());
        assertTrue(console.err().contains("classic methods' features: mobilenetv2:block_10 pooled features"), console.err());
        String results = Files.readString(out.resolve("results.md"));
        assertTrue(results.contains("| itq | 16 |") && results.contains("| orthohash | 16 |"), results);
        assertTrue(Files.readString(out.resolve("results.json")).contains("mobilenetv2:block_10 pooled features"));
    }

    @Test
    void classicRunsAboveTheFeatureDimensionAreReportedAsNotRun() throws IOException {
        Path out = tmp.resolve("demo128");
        assertEquals(0, Main.execute("demo", "-d", folder().toString(), "--shape", "3x24x24", "-p", "custom:query=2,train=4,seed=1,query-from=all",
                "-m", "itq,lsh", "-b", "128", "-o", out.toString()), console.err());
        String results = Files.readString(out.resolve("results.md"));
        assertTrue(results.contains("**NOT RUN: itq at 128 bits**: itq needs at most as many bits as feature dimensions (96), got 128"),
                results);
        assertTrue(results.contains("| lsh | 128 |"), "the other runs go on: " + results);
    }

    @Test
    void aModelOnTheFrozenNetworkFitsSavesAndEncodes() throws IOException {
        Path root = folder();
        Path model = tmp.resolve("nsh.dhm");
        assertEquals(0, Main.execute("fit", "-m", "nsh", "-b", "16", "-d", root.toString(), "--shape", "3x24x24", "--backbone", "mobilenetv2",
                "--epochs", "1", "--batch-size", "8", "-o", model.toString()), console.err());
        assertTrue(Files.size(model) < 2_000_000, "a frozen backbone's weights stay out of the file: " + Files.size(model) + " bytes");
        Path codes = tmp.resolve("c.dhc");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", root.toString(), "--shape", "3x24x24", "-o",
                codes.toString()), console.err());
        BinaryCodes all = CodeFile.read(codes);
        assertEquals(24, all.size());
        assertEquals(16, all.bits());
    }
}
