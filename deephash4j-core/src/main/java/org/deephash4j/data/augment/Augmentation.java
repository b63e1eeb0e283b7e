package org.deephash4j.data.augment;

import java.util.List;
import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;

/**
 * A pipeline of random transforms applied in order to training images.
 * Each image draws its randomness from a generator seeded by (seed, epoch, position), so a view does
 * not depend on which thread made it or when: augmented training is reproducible and resumable.
 */
public final class Augmentation {

    private final List<Transform> transforms;
    private final String description;
    private final List<Augmentation> views;

    private Augmentation(List<Transform> transforms, String description) {
        this(transforms, description, List.of());
    }

    private Augmentation(List<Transform> transforms, String description, List<Augmentation> views) {
        this.transforms = List.copyOf(transforms);
        this.description = description;
        this.views = List.copyOf(views);
    }

    /**
     * A different pipeline for each of two views (e.g. {@link #mocov2}); used alone (one-view methods), it
     * applies the first.
     */
    public static Augmentation perView(String description, Augmentation first, Augmentation second) {
        return new Augmentation(first.transforms, description, List.of(first, second));
    }

    /** The pipeline of view {@code view} (0-based): this one, unless it is {@link #perView}. */
    public Augmentation view(int view) {
        return views.isEmpty() ? this : views.get(view % views.size());
    }

    /**
     * SDC's {@code mocov2} two-view pipeline for NSH, at the images' own
     * size and without ImageNet normalisation (the backbones take [0, 1] pixels). View 1: resized crop
     * (0.2-1), flip, colour jitter (0.4, 0.4, 0.4, hue 0.1) with p 0.8, grayscale with p 0.2, Gaussian blur
     * (σ 0.1-2) always. View 2: resized crop (0.2-1), flip, colour jitter (0.4, 0.4, 0.4, hue 0.4) always,
     * grayscale with p 0.2, no blur.
     */
    public static Augmentation mocov2() {
        Augmentation first = of("view 1", new RandomResizedCrop(0.2, 1.0, 3.0 / 4, 4.0 / 3, 0), new HorizontalFlip(0.5),
                new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8), new RandomGrayscale(0.2), new GaussianBlur(0.1, 2.0, 1.0));
        Augmentation second = of("view 2", new RandomResizedCrop(0.2, 1.0, 3.0 / 4, 4.0 / 3, 0), new HorizontalFlip(0.5),
                new ColorJitter(0.4, 0.4, 0.4, 0.4, 1.0), new RandomGrayscale(0.2));
        return perView("mocov2 (SDC): view 1 crop 0.2-1 + flip + jitter hue 0.1 (p 0.8) + grey (p 0.2) + blur; "
                + "view 2 crop 0.2-1 + flip + jitter hue 0.4 + grey (p 0.2)", first, second);
    }

    /** No transform at all. */
    public static Augmentation none() {
        return new Augmentation(List.of(), "none");
    }

    /** A pipeline of the given transforms, described for saved configurations. */
    public static Augmentation of(String description, Transform... transforms) {
        return new Augmentation(List.of(transforms), description);
    }

    /**
     * The view of the NSH reference run: random resized crop (area 0.5-1, aspect 3/4-4/3)
     * with a rotation of up to 10 degrees, bilinear, zero padding; no flip.
     */
    public static Augmentation digits() {
        return of("resized crop (0.5-1, 3/4-4/3) + rotation 10", new RandomResizedCrop(0.5, 1.0, 3.0 / 4, 4.0 / 3, 10));
    }

    /**
     * The usual view for natural images (SimCLR-style, as the unsupervised methods use): resized crop
     * (0.5-1), horizontal flip, colour jitter (0.4, 0.4, 0.4) with p 0.8, grayscale with p 0.2,
     * Gaussian blur with p 0.5.
     */
    public static Augmentation naturalImages() {
        return of("resized crop (0.5-1) + flip + colour jitter 0.4 (p 0.8) + grayscale (p 0.2) + blur (p 0.5)",
                new RandomResizedCrop(0.5, 1.0, 3.0 / 4, 4.0 / 3, 0), new HorizontalFlip(0.5),
                new ColorJitter(0.4, 0.4, 0.4, 0.8), new RandomGrayscale(0.2), new GaussianBlur(0.1, 2.0, 0.5));
    }

    /** Whether the pipeline leaves images unchanged. */
    public boolean isIdentity() {
        return transforms.isEmpty();
    }

    /** What the pipeline does. */
    public String description() {
        return description;
    }

    /** The generator of the image at {@code position} in epoch {@code epoch}. */
    public static SeededRandom randomFor(long seed, int epoch, int position) {
        SeededRandom mixer = new SeededRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        long a = mixer.nextLong();
        return new SeededRandom(a ^ (position * 0xBF58476D1CE4E5B9L));
    }

    /** Writes the augmented view of {@code src} to {@code dst} ({@code dst} may not be {@code src}). */
    public void apply(float[] src, float[] dst, ImageShape shape, SeededRandom random) {
        if (transforms.isEmpty()) {
            System.arraycopy(src, 0, dst, 0, shape.pixels());
            return;
        }
        float[] a = src;
        int k = transforms.size();
        float[] tmp = k > 1 ? new float[shape.pixels()] : null;
        // alternate between dst and tmp so that the last transform writes into dst
        for (int i = 0; i < k; i++) {
            float[] out = (k - 1 - i) % 2 == 0 ? dst : tmp;
            transforms.get(i).apply(a, out, shape, random);
            a = out;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
