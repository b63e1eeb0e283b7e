package org.deephash4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.eval.RetrievalMetrics;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.deep.ContrastiveHashing;
import org.deephash4j.hash.deep.DeepHashFunction;
import org.deephash4j.hash.deep.DeepMethods;
import org.deephash4j.hash.deep.Nsh;
import org.deephash4j.hash.deep.OrthoHash;
import org.deephash4j.hash.deep.TargetCodes;
import org.deephash4j.hash.deep.Training;
import org.deephash4j.hash.deep.Wch;
import org.deephash4j.nn.TorchScriptBackbone;
import org.deephash4j.nn.loss.NshLoss;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.nn.loss.WeightedContrastiveLoss;
import org.deephash4j.nn.loss.WeightedSimilarity;
import org.deephash4j.util.ProgressListener;

/**
 * {@code deephash fit --method orthohash|nsh|contrastive|wch}: trains on the protocol's training items,
 * optionally evaluating every N epochs, and saves the last epoch's model. Reports the last epoch first;
 * the best epoch beside it is chosen on the query set and therefore optimistic. Reports the bit
 * balance of the database codes and warns loudly when the codes collapsed.
 */
final class DeepFit {

    private final FitCommand cmd;

    DeepFit(FitCommand cmd) {
        this.cmd = cmd;
    }

    /** Trains one configured method. */
    private interface Run {
        DeepHashFunction train(Training.EpochListener listener, Training.Checkpoints checkpoints);
    }

    int run() throws Exception {
        FitCommand.DeepOptions o = cmd.deep;
        String method = cmd.method.toLowerCase(Locale.ROOT);
        boolean supervised = method.equals("orthohash");
        FeatureInput in = FeatureInput.load(cmd.data, cmd.labels);
        if (supervised && in.labels() == null) {
            throw new IllegalArgumentException("orthohash is supervised: give --labels with the features");
        }
        Protocol p = in.protocol(cmd.protocol);
        if (supervised && p == null) {
            throw new IllegalArgumentException("orthohash needs a protocol (query / train / database): give --protocol");
        }
        Split split = p == null ? null : in.split(p);
        ImageShape shape = in.shape();
        String backbone = o.backbone != null ? o.backbone : cmd.data.endsWith(".npy") ? "mlp" : "cnn";
        FeatureMatrix train = split == null ? in.features() : in.features().rows(split.train());
        Training.Settings settings = settings(method, shape, backbone);
        Run run = switch (method) {
            case "orthohash" -> orthoHash(settings, backbone, in.labels().subset(split.train()), train, shape);
            case "nsh" -> nsh(settings, backbone, train, shape);
            case "wch" -> wch(settings, backbone, train, shape);
            default -> contrastive(settings, backbone, train, shape);
        };
        System.err.printf(Locale.ROOT, "[fit] %s, %d bits, %s backbone, on %d training items of %s (%s), %d epochs, augmentation: %s%n",
                method, cmd.bits, backbone, train.rows(), in.name(), shape, o.epochs, settings.augmentation().description());
        boolean canEvaluate = split != null && in.labels() != null;
        double[] best = {-1, 0, 0};
        Path ckpt = o.checkpoint != null ? o.checkpoint : cmd.output.resolveSibling(cmd.output.getFileName() + ".ckpt");
        if (o.resume && !Files.exists(ckpt)) {
            throw new IllegalArgumentException("--resume: no checkpoint " + ckpt);
        }
        Training.Checkpoints checkpoints = new Training.Checkpoints(ckpt, o.checkpointEvery, o.resume, 0);
        long t0 = System.nanoTime();
        DeepHashFunction model;
        try {
            model = run.train((epoch, loss, current) -> {
                boolean evaluate = canEvaluate && (epoch == o.epochs || (o.evalEvery > 0 && epoch % o.evalEvery == 0));
                String line = String.format(Locale.ROOT, "[fit] epoch %d: loss %.4f", epoch, loss);
                if (evaluate) {
                    Evaluation e = evaluate(current, in.features(), in.labels(), split);
                    line += String.format(Locale.ROOT, ", mAP@1000 %.4f, mAP@all %.4f, bit imbalance %.3f", e.metrics().mapAt(1000),
                            e.metrics().mapAt(0), e.bitImbalance());
                    if (e.metrics().mapAt(0) > best[0]) {
                        best[0] = e.metrics().mapAt(0);
                        best[1] = e.metrics().mapAt(1000);
                        best[2] = epoch;
                    }
                    if (epoch == o.epochs) {
                        line += String.format(Locale.ROOT, " (last epoch); best epoch %d: mAP@all %.4f, mAP@1000 %.4f "
                                + "(chosen on the query set: optimistic)", (int) best[2], best[0], best[1]);
                    }
                    if (BinaryCodes.isCollapsed(e.bitImbalance())) {
                        line += "\n" + collapseWarning(e.bitImbalance());
                    }
                }
                System.err.println(line);
            }, checkpoints);
        } catch (Training.Stopped stopped) {
            System.err.println("[fit] interrupted; state saved to " + stopped.checkpoint()
                    + ": run the same command with --resume to continue exactly where it stopped");
            return 1;
        }
        Files.deleteIfExists(ckpt);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> provenance = new LinkedHashMap<>(in.describe(p, train.rows()));
        provenance.put("training_seconds", seconds);
        if (!canEvaluate) {
            double imbalance = model.encode(in.features(), null).bitImbalance();
            provenance.put("bit_imbalance", imbalance);
            System.err.printf(Locale.ROOT, "[fit] bit imbalance of the codes of all %d items: %.3f%n", in.features().rows(), imbalance);
            if (BinaryCodes.isCollapsed(imbalance)) {
                System.err.println(collapseWarning(imbalance));
            }
        }
        HashModels.save(cmd.output, model, provenance);
        System.err.printf(Locale.ROOT, "[fit] trained in %.1f s; model saved to %s%n", seconds, cmd.output.toAbsolutePath());
        return 0;
    }

    static String collapseWarning(double imbalance) {
        return String.format(Locale.ROOT, "[fit] WARNING: CODES COLLAPSED (bit imbalance %.3f >= %.2f: most bits are the same for "
                + "nearly every item); use a balance mechanism (--balance bn) or a lower learning rate", imbalance,
                BinaryCodes.COLLAPSED_IMBALANCE);
    }

    /** A pre-trained backbone's (TorchScript) learning rate relative to the heads', unless given. */
    static final float PRE_TRAINED_BACKBONE_LR_SCALE = 0.1f;

    /** The method's default settings, overridden by the options given. */
    private Training.Settings settings(String method, ImageShape shape, String backbone) {
        FitCommand.DeepOptions o = cmd.deep;
        Training.Settings d = DeepMethods.defaultSettings(method, shape, cmd.seed);
        Augmentation augmentation = o.augment != null ? Augmentation.named(o.augment) : d.augmentation();
        if (!method.equals("orthohash") && augmentation.isIdentity()) {
            throw new IllegalArgumentException(method + " learns from two augmented views of each image; with --augment none both "
                    + "views are the same image and there is nothing to learn (choose digits, natural or mocov2)");
        }
        float backboneScale = o.backboneLrScale != null ? o.backboneLrScale
                : TorchScriptBackbone.isTorchScript(backbone) ? PRE_TRAINED_BACKBONE_LR_SCALE : d.backboneLrScale();
        return new Training.Settings(o.epochs, o.batchSize, o.lr, backboneScale, o.weightDecay != null ? o.weightDecay : d.weightDecay(),
                Training.Optimiser.parse(o.optimizer), o.schedule != null ? Training.Schedule.parse(o.schedule) : d.schedule(),
                augmentation, cmd.seed, o.recalibrateBn != null ? o.recalibrateBn : d.reestimateBatchNorm());
    }

    private Run orthoHash(Training.Settings s, String backbone, MultiHotLabels labels, FeatureMatrix train, ImageShape shape) {
        FitCommand.OrthoHashOptions o = cmd.orthohash;
        float scale = o.scale.equalsIgnoreCase("sqrt") ? OrthoCosLoss.sqrtScale(cmd.bits) : Float.parseFloat(o.scale);
        OrthoHash.Config c = new OrthoHash.Config(cmd.bits, backbone, s.epochs(), s.batchSize(), s.learningRate(), s.backboneLrScale(),
                s.weightDecay(), new OrthoCosLoss(scale, o.margin, o.arc), TargetCodes.Kind.parse(o.targetCodes), s.seed(),
                s.optimiser(), s.schedule(), s.augmentation());
        return (listener, checkpoints) -> OrthoHash.train(c, train, labels, shape, listener, new ConsoleProgress(), checkpoints);
    }

    private DeepHashFunction.HashLayer balance() {
        return switch (cmd.unsupervised.balance.toLowerCase(Locale.ROOT)) {
            case "bn" -> DeepHashFunction.HashLayer.BN_NO_AFFINE;
            case "none" -> DeepHashFunction.HashLayer.LINEAR;
            default -> throw new IllegalArgumentException("--balance must be bn or none, got '" + cmd.unsupervised.balance + "'");
        };
    }

    private Run nsh(Training.Settings s, String backbone, FeatureMatrix train, ImageShape shape) {
        FitCommand.UnsupervisedOptions u = cmd.unsupervised;
        NshLoss loss = new NshLoss(u.positives, u.tauNce, u.tauSort != null ? u.tauSort : 1f / cmd.bits, u.hardSort,
                NshLoss.Score.parse(u.score), u.doubleSoftmax, !u.noSort, u.quantisationWeight);
        Nsh.Config c = new Nsh.Config(cmd.bits, backbone, s, balance(), u.latentDim, loss);
        return (listener, checkpoints) -> Nsh.train(c, train, shape, listener, new ConsoleProgress(), checkpoints);
    }

    private Run contrastive(Training.Settings s, String backbone, FeatureMatrix train, ImageShape shape) {
        FitCommand.UnsupervisedOptions u = cmd.unsupervised;
        ContrastiveHashing.Config c = new ContrastiveHashing.Config(cmd.bits, backbone, s, balance(), u.tauNce, u.straightThrough,
                u.quantisationWeight);
        return (listener, checkpoints) -> ContrastiveHashing.train(c, train, shape, listener, new ConsoleProgress(), checkpoints);
    }

    private Run wch(Training.Settings s, String backbone, FeatureMatrix train, ImageShape shape) {
        FitCommand.UnsupervisedOptions u = cmd.unsupervised;
        boolean balanced = balance() != DeepHashFunction.HashLayer.LINEAR;
        DeepHashFunction.HashLayer head = switch (u.head) {
            case "mlp" -> balanced ? DeepHashFunction.HashLayer.MLP_LN_BN : DeepHashFunction.HashLayer.MLP_LN;
            case "linear" -> balance();
            default -> throw new IllegalArgumentException("--head must be linear or mlp, got '" + u.head + "'");
        };
        float weightTemperature = u.weightTemperature != null ? u.weightTemperature
                : u.head.equals("mlp") ? Wch.MLP_HEAD_WEIGHT_TEMPERATURE : Wch.FROM_SCRATCH_WEIGHT_TEMPERATURE;
        Wch.Config c = new Wch.Config(cmd.bits, backbone, s, head, !u.tanhCodes, u.attentionTemperature,
                u.noAttention ? Wch.Attention.NONE : Wch.Attention.parse(u.attention), !u.noWeights, u.attendedEncoding,
                new WeightedSimilarity(weightTemperature, u.detachWeights, u.normaliseWeights, WeightedSimilarity.defaults().block()),
                new WeightedContrastiveLoss(u.tauNce, u.quantisationWeight, u.symmetric));
        return (listener, checkpoints) -> Wch.train(c, train, shape, listener, new ConsoleProgress(), checkpoints);
    }

    /** Retrieval figures and the database codes' bit imbalance. */
    record Evaluation(RetrievalMetrics metrics, double bitImbalance) {
    }

    /** mAP@1000 and mAP@all of {@code f} on the split's queries and database, and the database codes' bit imbalance. */
    static Evaluation evaluate(HashFunction f, FeatureMatrix features, MultiHotLabels labels, Split split) {
        BinaryCodes q = f.encode(features.rows(split.query()), null);
        BinaryCodes db = f.encode(features.rows(split.database()), null);
        RetrievalMetrics m = RetrievalEvaluator.evaluate(q, labels.subset(split.query()), db, labels.subset(split.database()),
                EvalConfig.mapOnly(1000, 0), ProgressListener.NONE);
        return new Evaluation(m, db.bitImbalance());
    }
}
