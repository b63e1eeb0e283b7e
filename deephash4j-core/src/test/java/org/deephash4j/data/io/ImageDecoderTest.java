package org.deephash4j.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.deephash4j.data.Image;
import org.deephash4j.data.ImageShape;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding as users' files need it: alpha on white, area resize, EXIF orientation, bounded memory, named failures. */
class ImageDecoderTest {

    @TempDir
    Path dir;

    private Path write(BufferedImage img, String name, String format) throws IOException {
        Path p = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, p.toFile()), "no " + format + " writer");
        return p;
    }

    @Test
    void transparentPixelsBecomeWhiteAndBlackLineArtStaysBlack() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00000000); // fully transparent (stored as transparent black)
        img.setRGB(1, 0, 0xFF000000); // opaque black line art
        img.setRGB(2, 0, 0x80FF0000); // half-transparent red
        Image decoded = ImageDecoder.decode(write(img, "clip.png", "png"), null);
        assertEquals(new ImageShape(3, 1, 3), decoded.shape());
        assertArrayEquals(new int[] {255, 255, 255}, rgb(decoded, 0, 0));
        assertArrayEquals(new int[] {0, 0, 0}, rgb(decoded, 0, 1));
        assertArrayEquals(new int[] {255, 127, 127}, rgb(decoded, 0, 2));
    }

    private static int[] rgb(Image img, int y, int x) {
        return new int[] {img.value(0, y, x), img.value(1, y, x), img.value(2, y, x)};
    }

    @Test
    void shrinkingAveragesEveryPixelSoThinLinesSurvive() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, x == 37 ? 0x000000 : 0xFFFFFF);
            }
        }
        Image small = ImageDecoder.decode(write(img, "line.png", "png"), new ImageShape(1, 8, 8));
        // column 37 lies in output column 4 (source 32..39): one black pixel in eight
        for (int y = 0; y < 8; y++) {
            assertEquals(Math.round(255 * 7 / 8.0), small.value(0, y, 4), 1);
            assertEquals(255, small.value(0, y, 3));
        }
    }

    @Test
    void enlargingInterpolatesBetweenPixelCentres() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 0);
        img.getRaster().setSample(1, 0, 0, 200);
        Image big = ImageDecoder.decode(write(img, "two.png", "png"), new ImageShape(1, 1, 4));
        assertArrayEquals(new int[] {0, 50, 150, 200}, new int[] {big.value(0, 0, 0), big.value(0, 0, 1), big.value(0, 0, 2),
            big.value(0, 0, 3)});
    }

    @Test
    void exifOrientationIsApplied() throws IOException {
        // stored 32 wide x 16 high: left half black, right half white; orientation 6 = rotate 90 degrees clockwise
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, x < 16 ? 0x000000 : 0xFFFFFF);
            }
        }
        Path plain = write(img, "photo.jpg", "jpg");
        Path rotated = Files.write(dir.resolve("rotated.jpg"), withOrientation(Files.readAllBytes(plain), 6));
        assertEquals(6, ExifOrientation.read(rotated));
        assertEquals(1, ExifOrientation.read(plain));
        Image seen = ImageDecoder.decode(rotated, null);
        assertEquals(new ImageShape(3, 32, 16), seen.shape(), "seen 16 wide x 32 high");
        assertTrue(seen.value(0, 4, 8) < 30 && seen.value(0, 28, 8) > 225, "the black half is on top after the rotation");
        Image scaled = ImageDecoder.decode(rotated, new ImageShape(1, 8, 4));
        assertTrue(scaled.value(0, 0, 2) < 30 && scaled.value(0, 7, 2) > 225);
    }

    /** A JPEG with an EXIF APP1 segment (little-endian TIFF, one IFD entry: orientation) after its SOI marker. */
    static byte[] withOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0).putInt(0);
        byte[] exif = tiff.array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = 2 + 6 + exif.length;
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >>> 8);
        out.write(length & 0xFF);
        out.writeBytes("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(exif);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void aDecompressionBombIsRefusedAtFullSizeAndCostsLittleWhenResized() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.png"), png(100_000, 100_000));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> ImageDecoder.decode(bomb, null));
        assertTrue(e.getMessage().contains("100000 x 100000 pixels"), e.getMessage());
        e = assertThrows(MalformedFileException.class, () -> ImageDecoder.decode(bomb, new ImageShape(3, 32, 32)));
        assertEquals(bomb, e.file());
    }

    /** A PNG header declaring {@code w x h} pixels followed by no image data. */
    private static byte[] png(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 17 + 4 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        b.putInt(0).put("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0xAE426082);
        return b.array();
    }

    @Test
    void zeroByteTruncatedAndForeignFilesAreNamed() throws IOException {
        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        byte[] good = Files.readAllBytes(write(img, "good.png", "png"));
        for (byte[] bad : new byte[][] {new byte[0], java.util.Arrays.copyOf(good, good.length / 2),
            "just text, not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII)}) {
            Path f = Files.write(dir.resolve("bad.png"), bad);
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> ImageDecoder.decode(f, new ImageShape(3, 8, 8)));
            assertEquals(f, e.file());
        }
    }

    @Test
    void webpAndCmykCapableJpegReadersAreInstalled() {
        assertTrue(ImageIO.getImageReadersByFormatName("webp").hasNext(), "TwelveMonkeys WebP reader");
        assertTrue(ImageIO.getImageReadersByFormatName("jpeg").next().getClass().getName().startsWith("com.twelvemonkeys"),
                "TwelveMonkeys JPEG reader first");
    }
}
