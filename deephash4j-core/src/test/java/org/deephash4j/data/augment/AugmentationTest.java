package org.deephash4j.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    static final ImageShape RGB = new ImageShape(3, 8, 10);
    static final ImageShape GREY = new ImageShape(1, 28, 28);

    static float[] image(ImageShape s, long seed) {
        SeededRandom r = new SeededRandom(seed);
        float[] v = new float[s.pixels()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return v;
    }

    static float[] run(Transform t, float[] src, ImageShape s, long seed) {
        float[] dst = new float[s.pixels()];
        t.apply(src, dst, s, new SeededRandom(seed));
        return dst;
    }

    @Test
    void flipWithCertaintyMirrorsAndTwiceIsIdentity() {
        float[] img = image(RGB, 1);
        float[] once = run(new HorizontalFlip(1), img, RGB, 2);
        assertEquals(img[2 * 80 + 3 * 10 + 0], once[2 * 80 + 3 * 10 + 9]);
        assertArrayEquals(img, run(new HorizontalFlip(1), once, RGB, 3));
        assertArrayEquals(img, run(new HorizontalFlip(0), img, RGB, 4));
    }

    @Test
    void fullCropWithoutRotationIsTheIdentity() {
        float[] img = image(GREY, 2);
        float[] out = run(new RandomResizedCrop(1, 1, 1, 1, 0), img, GREY, 5);
        assertArrayEquals(img, out, 1e-5f);
    }

    @Test
    void cropZoomsInAndRotationPadsWithZeros() {
        float[] constant = new float[GREY.pixels()];
        java.util.Arrays.fill(constant, 0.7f);
        float[] cropped = run(new RandomResizedCrop(0.5, 0.5, 1, 1, 0), constant, GREY, 6);
        for (float v : cropped) {
            assertEquals(0.7f, v, 1e-5f, "a crop of a constant image is constant");
        }
        float[] rotated = run(new RandomResizedCrop(1, 1, 1, 1, 45), constant, GREY, 7);
        assertTrue(rotated[0] < 0.7f, "a rotated full view shows padding in the corner");
    }

    @Test
    void jitterIdentityGrayscaleAndBlurKeepTheirInvariants() {
        float[] img = image(RGB, 3);
        assertArrayEquals(img, run(new ColorJitter(0, 0, 0, 1), img, RGB, 8), 1e-6f);
        float[] g = run(new RandomGrayscale(1), img, RGB, 9);
        for (int i = 0; i < 80; i++) {
            assertEquals(g[i], g[80 + i]);
            assertEquals(g[i], g[160 + i]);
        }
        float[] constant = new float[RGB.pixels()];
        java.util.Arrays.fill(constant, 0.3f);
        float[] blurred = run(new GaussianBlur(1, 2, 1), constant, RGB, 10);
        for (float v : blurred) {
            assertEquals(0.3f, v, 1e-6f);
        }
        float[] sharp = image(RGB, 4);
        float[] smooth = run(new GaussianBlur(1, 1, 1), sharp, RGB, 11);
        assertTrue(variance(smooth) < 0.6 * variance(sharp), "blur lowers the variance of noise");
        float[] jittered = run(new ColorJitter(0.4, 0.4, 0.4, 1), img, RGB, 12);
        for (float v : jittered) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    static double variance(float[] v) {
        double m = 0;
        for (float x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return s / v.length;
    }

    @Test
    void pipelinesAreReproducibleFromTheirSeedAndDifferAcrossPositions() {
        float[] img = image(RGB, 5);
        Augmentation a = Augmentation.naturalImages();
        float[] x = new float[RGB.pixels()];
        float[] y = new float[RGB.pixels()];
        float[] z = new float[RGB.pixels()];
        a.apply(img, x, RGB, Augmentation.randomFor(1, 3, 42));
        a.apply(img, y, RGB, Augmentation.randomFor(1, 3, 42));
        a.apply(img, z, RGB, Augmentation.randomFor(1, 3, 43));
        assertArrayEquals(x, y);
        assertFalse(java.util.Arrays.equals(x, z));
        float[] d = new float[GREY.pixels()];
        Augmentation.digits().apply(image(GREY, 6), d, GREY, Augmentation.randomFor(0, 1, 0));
        float[] same = new float[GREY.pixels()];
        Augmentation.none().apply(image(GREY, 6), same, GREY, new SeededRandom(0));
        assertArrayEquals(image(GREY, 6), same);
        assertThrows(IllegalArgumentException.class, () -> AugmentationSpec.named("mosaic"));
    }

    @Test
    void twoTransformPipelineEndsInTheDestination() {
        float[] img = image(RGB, 7);
        Augmentation twice = Augmentation.of("flip twice", new HorizontalFlip(1), new HorizontalFlip(1));
        float[] out = new float[RGB.pixels()];
        twice.apply(img, out, RGB, new SeededRandom(1));
        assertArrayEquals(img, out);
        Augmentation thrice = Augmentation.of("flip thrice", new HorizontalFlip(1), new HorizontalFlip(1), new HorizontalFlip(1));
        thrice.apply(img, out, RGB, new SeededRandom(1));
        assertArrayEquals(run(new HorizontalFlip(1), img, RGB, 0), out);
    }

    @Test
    void hueShiftTurnsTheColourCircleAndLeavesGreyAlone() {
        int plane = 3;
        // red, grey, a mid orange (hue 30 degrees)
        float[] rgb = {1f, 0.5f, 0.8f, 0f, 0.5f, 0.4f, 0f, 0.5f, 0f};
        ColorJitter.shiftHue(rgb, plane, 1.0 / 3);
        assertArrayEquals(new float[] {0f, 0.5f, 0f, 1f, 0.5f, 0.8f, 0f, 0.5f, 0.4f}, rgb, 1e-6f,
                "a third of a turn: red becomes green, orange becomes a green of the same saturation, grey stays");
        ColorJitter.shiftHue(rgb, plane, 2.0 / 3);
        assertArrayEquals(new float[] {1f, 0.5f, 0.8f, 0f, 0.5f, 0.4f, 0f, 0.5f, 0f}, rgb, 1e-6f, "a full turn is the identity");
        float[] img = image(RGB, 20);
        assertArrayEquals(img, run(new ColorJitter(0, 0, 0, 0.5, 0), img, RGB, 21), "p 0 changes nothing");
        assertFalse(java.util.Arrays.equals(img, run(new ColorJitter(0, 0, 0, 0.5, 1), img, RGB, 21)));
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(0.4, 0.4, 0.4, 0.6, 1));
    }

    @Test
    void mocov2GivesEachViewItsOwnPipeline() {
        Augmentation a = AugmentationSpec.named("mocov2");
        assertTrue(a.description().startsWith("mocov2"));
        assertFalse(a.view(0) == a.view(1));
        assertTrue(a.view(0).description().equals("view 1") && a.view(1).description().equals("view 2"));
        Augmentation digits = Augmentation.digits();
        assertTrue(digits.view(1) == digits, "a plain pipeline serves every view");
        float[] img = image(RGB, 30);
        float[] v1 = new float[RGB.pixels()];
        float[] v2 = new float[RGB.pixels()];
        a.view(0).apply(img, v1, RGB, new SeededRandom(5));
        a.view(1).apply(img, v2, RGB, new SeededRandom(5));
        assertFalse(java.util.Arrays.equals(v1, v2), "same randomness, different pipelines");
    }

    @Test
    void specsBuildTheSamePipelinesAsTheNamedOnesAndRefuseBadParts() {
        float[] img = image(GREY, 8);
        float[] named = new float[GREY.pixels()];
        float[] spec = new float[GREY.pixels()];
        Augmentation.digits().apply(img, named, GREY, Augmentation.randomFor(0, 2, 5));
        Augmentation parsed = AugmentationSpec.named("rotate=10, crop=0.5-1");
        parsed.apply(img, spec, GREY, Augmentation.randomFor(0, 2, 5));
        assertArrayEquals(named, spec, "crop=0.5-1,rotate=10 is the digits view");
        assertEquals("crop=0.5-1,rotate=10", parsed.description(), "keys in application order");
        float[] flipped = new float[RGB.pixels()];
        float[] rgb = image(RGB, 9);
        AugmentationSpec.named("flip=1").apply(rgb, flipped, RGB, new SeededRandom(0));
        assertArrayEquals(run(new HorizontalFlip(1), rgb, RGB, 0), flipped);
        assertEquals("crop=0.2-1,flip=0.5,jitter=0.4@0.8,grey=0.2,blur=0.5",
                AugmentationSpec.named("blur=0.5,grey=0.2,jitter=0.4@0.8,flip=0.5,crop=0.2-1").description());
        for (String bad : new String[] {"crop=0-1", "crop=0.9-0.5", "crop=0.5", "flip=1.5", "flip=x", "mosaic=1", "flip=1,flip=0",
            "jitter=0.4@2", "rotate=-3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AugmentationSpec.named(bad), bad);
            assertTrue(e.getMessage().contains(bad), "the message names the spec: " + e.getMessage());
        }
    }
}
