package org.deephash4j.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.eval.RetrievalMetrics;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.deep.DeepHashFunction;
import org.deephash4j.hash.deep.OrthoHash;
import org.deephash4j.hash.deep.Training;
import org.deephash4j.hash.deep.TargetCodes;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;

/**
 * {@code deephash fit --method orthohash}: trains on the protocol's training items, optionally
 * evaluating every N epochs, and saves the last epoch's model. Reports the last epoch first; the best
 * epoch beside it is chosen on the query set and therefore optimistic.
 */
final class DeepFit {

    private final FitCommand cmd;

    DeepFit(FitCommand cmd) {
        this.cmd = cmd;
    }

    int run() throws Exception {
        FitCommand.DeepOptions o = cmd.deep;
        FeatureInput in = FeatureInput.load(cmd.data, cmd.labels);
        if (in.labels() == null) {
            throw new IllegalArgumentException("orthohash is supervised: give --labels with the features");
        }
        Protocol p = in.protocol(cmd.protocol);
        if (p == null) {
            throw new IllegalArgumentException("orthohash needs a protocol (query / train / database): give --protocol");
        }
        Split split = in.split(p);
        ImageShape shape = in.shape();
        String backbone = o.backbone != null ? o.backbone : cmd.data.endsWith(".npy") ? "mlp" : "cnn";
        float scale = o.scale.equalsIgnoreCase("sqrt") ? OrthoCosLoss.sqrtScale(cmd.bits) : Float.parseFloat(o.scale);
        Training.Optimiser optimiser = Training.Optimiser.parse(o.optimizer);
        Training.Schedule schedule = Training.Schedule.parse(o.schedule);
        OrthoHash.Config config = new OrthoHash.Config(cmd.bits, backbone, o.epochs, o.batchSize, o.lr, o.backboneLrScale,
                o.weightDecay, new OrthoCosLoss(scale, o.margin, o.arc), TargetCodes.Kind.parse(o.targetCodes), cmd.seed, optimiser,
                schedule, org.deephash4j.data.augment.Augmentation.named(o.augment));
        FeatureMatrix train = in.features().rows(split.train());
        MultiHotLabels trainLabels = in.labels().subset(split.train());
        System.err.printf(Locale.ROOT, "[fit] orthohash, %d bits, %s backbone, on %d training items of %s (%s), %d epochs%n", cmd.bits,
                backbone, train.rows(), in.name(), shape, o.epochs);
        double[] best = {-1, 0, 0};
        java.nio.file.Path ckpt = o.checkpoint != null ? o.checkpoint : cmd.output.resolveSibling(cmd.output.getFileName() + ".ckpt");
        if (o.resume && !java.nio.file.Files.exists(ckpt)) {
            throw new IllegalArgumentException("--resume: no checkpoint " + ckpt);
        }
        Training.Checkpoints checkpoints = new Training.Checkpoints(ckpt, o.checkpointEvery, o.resume, 0);
        long t0 = System.nanoTime();
        DeepHashFunction model;
        try {
            model = OrthoHash.train(config, train, trainLabels, shape, (epoch, loss, current) -> {
            boolean evaluate = epoch == o.epochs || (o.evalEvery > 0 && epoch % o.evalEvery == 0);
            String line = String.format(Locale.ROOT, "[fit] epoch %d: loss %.4f", epoch, loss);
            if (evaluate) {
                RetrievalMetrics m = evaluate(current, in, split);
                line += String.format(Locale.ROOT, ", mAP@1000 %.4f, mAP@all %.4f", m.mapAt(1000), m.mapAt(0));
                if (m.mapAt(0) > best[0]) {
                    best[0] = m.mapAt(0);
                    best[1] = m.mapAt(1000);
                    best[2] = epoch;
                }
                if (epoch == o.epochs) {
                    line += String.format(Locale.ROOT, " (last epoch); best epoch %d: mAP@all %.4f, mAP@1000 %.4f "
                            + "(chosen on the query set: optimistic)", (int) best[2], best[0], best[1]);
                }
            }
            System.err.println(line);
        }, new ConsoleProgress(), checkpoints);
        } catch (Training.Stopped stopped) {
            System.err.println("[fit] interrupted; state saved to " + stopped.checkpoint()
                    + ": run the same command with --resume to continue exactly where it stopped");
            return 1;
        }
        java.nio.file.Files.deleteIfExists(ckpt);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> provenance = new LinkedHashMap<>(in.describe(p, train.rows()));
        provenance.put("training_seconds", seconds);
        HashModels.save(cmd.output, model, provenance);
        System.err.printf(Locale.ROOT, "[fit] trained in %.1f s; model saved to %s%n", seconds, cmd.output.toAbsolutePath());
        return 0;
    }

    static RetrievalMetrics evaluate(DeepHashFunction f, FeatureInput in, Split split) {
        BinaryCodes q = f.encode(in.features().rows(split.query()), null);
        BinaryCodes db = f.encode(in.features().rows(split.database()), null);
        return RetrievalEvaluator.evaluate(q, in.labels().subset(split.query()), db, in.labels().subset(split.database()),
                EvalConfig.mapOnly(1000, 0), ProgressListener.NONE);
    }
}
