package org.deephash4j.hash.deep;

import java.util.List;
import java.util.Locale;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.SupervisedHashMethod;
import org.deephash4j.nn.loss.NshLoss;
import org.deephash4j.nn.loss.WeightedContrastiveLoss;
import org.deephash4j.util.ProgressListener;

/**
 * The deep methods as {@link SupervisedHashMethod}s with their default settings (the unsupervised
 * ones ignore the labels), for experiments that run many methods alike, such as the demo.
 */
public final class DeepMethods {

    private DeepMethods() {
    }

    /**
     * Names of the deep methods, with NSH's ablations and variants: {@code nsh-no-sort} (InfoNCE on the
     * latents, codes learn from the quantisation loss only), {@code nsh-m1} (one positive),
     * {@code nsh-hard-sort}, {@code nsh-double-softmax}, {@code nsh-no-balance} (no hash-BN: expect
     * collapse), {@code nsh-tau64} (τ_sort fixed at 1/64 instead of 1/K, for codes shorter than 64 bits);
     * the baseline's {@code contrastive-st} (straight-through sign codes); WCH's {@code wch-no-attention},
     * {@code wch-no-weights} (one-hot targets), {@code wch-plain} (neither: plain contrastive on WCH's
     * network), {@code wch-symmetric} (the loss in both directions) and {@code wch-mlp} (the official MLP hash
     * head instead of the baselines' linear layer, T_w 0.05: {@link Wch.Config#mlpHead}).
     */
    public static List<String> names() {
        return List.of("orthohash", "nsh", "contrastive", "wch", "nsh-no-sort", "nsh-m1", "nsh-hard-sort", "nsh-double-softmax",
                "nsh-no-balance", "nsh-tau64", "contrastive-st", "wch-no-attention", "wch-no-weights", "wch-plain",
                "wch-symmetric", "wch-mlp");
    }

    /** Whether {@code name} is a deep method. */
    public static boolean isDeep(String name) {
        return names().contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The default augmentation of unsupervised method {@code method} (nsh, contrastive or wch): the NSH
     * reference run's digits view for one-channel images; for colour images SDC's two-view {@code mocov2}
     * pipeline for NSH and its contrastive baseline (methods.md U7), the single natural-image pipeline
     * of the official WCH code for WCH.
     */
    public static Augmentation viewsFor(String method, ImageShape shape) {
        if (shape.channels() == 1) {
            return Augmentation.digits();
        }
        return method.toLowerCase(Locale.ROOT).startsWith("wch") ? Augmentation.naturalImages() : Augmentation.mocov2();
    }

    /** The method called {@code name} with its defaults, trained for {@code epochs} epochs on images of {@code shape}. */
    public static SupervisedHashMethod create(String name, ImageShape shape, String backbone, int epochs, ProgressListener progress) {
        return create(name, shape, backbone, epochs, progress, null);
    }

    /** As {@link #create(String, ImageShape, String, int, ProgressListener)}, telling {@code listener} after every epoch. */
    public static SupervisedHashMethod create(String name, ImageShape shape, String backbone, int epochs, ProgressListener progress,
            Training.EpochListener listener) {
        String method = name.toLowerCase(Locale.ROOT);
        if (!isDeep(method)) {
            throw new IllegalArgumentException("unknown deep method '" + name + "' (" + String.join(", ", names()) + ")");
        }
        return new SupervisedHashMethod() {
            @Override
            public String name() {
                return method;
            }

            @Override
            public HashFunction fit(FeatureMatrix train, MultiHotLabels labels, int bits, long seed) {
                return switch (method) {
                    case "orthohash" -> {
                        OrthoHash.Config d = OrthoHash.Config.defaults(bits, backbone);
                        OrthoHash.Config c = new OrthoHash.Config(bits, backbone, epochs, d.batchSize(), d.learningRate(),
                                d.backboneLrScale(), d.weightDecay(), d.loss(), d.targets(), seed);
                        yield OrthoHash.train(c, train, labels, shape, listener, progress);
                    }
                    case "wch", "wch-no-attention", "wch-no-weights", "wch-plain", "wch-symmetric", "wch-mlp" ->
                            Wch.train(wch(method, bits, backbone, shape, epochs, seed), train, shape, listener, progress, null);
                    default -> method.startsWith("nsh") ? Nsh.train(nsh(method, bits, backbone, shape, epochs, seed), train, shape,
                            listener, progress, null)
                            : ContrastiveHashing.train(contrastive(method, bits, backbone, shape, epochs, seed), train, shape, listener,
                                    progress, null);
                };
            }
        };
    }

    /**
     * The default training settings of method {@code name} (a base name: orthohash, nsh, contrastive or
     * wch) on images of {@code shape}: the values its {@code Config.defaults} uses.
     */
    public static Training.Settings defaultSettings(String name, ImageShape shape, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "orthohash" -> {
                OrthoHash.Config d = OrthoHash.Config.defaults(64, "cnn");
                yield new Training.Settings(d.epochs(), d.batchSize(), d.learningRate(), d.backboneLrScale(), d.weightDecay(),
                        d.optimiser(), d.schedule(), d.augmentation(), seed, d.training().reestimateBatchNorm());
            }
            case "nsh" -> Nsh.Config.defaults(64, "cnn", viewsFor("nsh", shape), seed).training();
            case "contrastive" -> ContrastiveHashing.Config.defaults(64, "cnn", viewsFor("contrastive", shape), seed).training();
            case "wch" -> Wch.Config.defaults(64, "cnn", viewsFor("wch", shape), seed).training();
            default -> throw new IllegalArgumentException("unknown deep method '" + name + "' (orthohash, nsh, contrastive, wch)");
        };
    }

    /** NSH's defaults, or one of its ablations, for {@code epochs} epochs. */
    static Nsh.Config nsh(String variant, int bits, String backbone, ImageShape shape, int epochs, long seed) {
        Nsh.Config d = Nsh.Config.defaults(bits, backbone, viewsFor("nsh", shape), seed);
        NshLoss l = d.loss();
        NshLoss loss = switch (variant) {
            case "nsh-no-sort" -> new NshLoss(1, l.nceTemperature(), l.sortTemperature(), false, l.score(), false, false,
                    l.quantisationWeight());
            case "nsh-m1" -> new NshLoss(1, l.nceTemperature(), l.sortTemperature(), false, l.score(), false, true, l.quantisationWeight());
            case "nsh-hard-sort" -> new NshLoss(l.positives(), l.nceTemperature(), l.sortTemperature(), true, l.score(), false, true,
                    l.quantisationWeight());
            case "nsh-double-softmax" -> new NshLoss(l.positives(), l.nceTemperature(), l.sortTemperature(), false, l.score(), true, true,
                    l.quantisationWeight());
            case "nsh-tau64" -> new NshLoss(l.positives(), l.nceTemperature(), NshLoss.FROM_SCRATCH_SORT_TEMPERATURE, false, l.score(), false,
                    true, l.quantisationWeight());
            default -> l;
        };
        DeepHashFunction.HashLayer layer = variant.equals("nsh-no-balance") ? DeepHashFunction.HashLayer.LINEAR : d.hashLayer();
        return new Nsh.Config(bits, backbone, withEpochs(d.training(), epochs), layer, d.latentDim(), loss);
    }

    /** WCH's defaults, or one of its ablations, for {@code epochs} epochs. */
    static Wch.Config wch(String variant, int bits, String backbone, ImageShape shape, int epochs, long seed) {
        Wch.Config d = variant.equals("wch-mlp") ? Wch.Config.mlpHead(bits, backbone, viewsFor("wch", shape), seed)
                : Wch.Config.defaults(bits, backbone, viewsFor("wch", shape), seed);
        return new Wch.Config(bits, backbone, withEpochs(d.training(), epochs), d.hashLayer(), d.straightThrough(),
                d.attentionTemperature(),
                variant.equals("wch-no-attention") || variant.equals("wch-plain") ? Wch.Attention.NONE : d.attention(),
                !variant.equals("wch-no-weights") && !variant.equals("wch-plain"),
                d.attendedEncoding(), d.similarity(), variant.equals("wch-symmetric")
                        ? new WeightedContrastiveLoss(d.loss().temperature(), d.loss().balanceWeight(), true) : d.loss());
    }

    /** The contrastive baseline's defaults, or its straight-through variant, for {@code epochs} epochs. */
    static ContrastiveHashing.Config contrastive(String variant, int bits, String backbone, ImageShape shape, int epochs, long seed) {
        ContrastiveHashing.Config d = ContrastiveHashing.Config.defaults(bits, backbone, viewsFor("contrastive", shape), seed);
        return new ContrastiveHashing.Config(bits, backbone, withEpochs(d.training(), epochs), d.hashLayer(), d.temperature(),
                variant.equals("contrastive-st"), d.quantisationWeight());
    }

    static Training.Settings withEpochs(Training.Settings s, int epochs) {
        return new Training.Settings(epochs, s.batchSize(), s.learningRate(), s.backboneLrScale(), s.weightDecay(), s.optimiser(),
                s.schedule(), s.augmentation(), s.seed(), s.reestimateBatchNorm());
    }
}
