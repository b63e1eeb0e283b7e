package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.data.ImageShape;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.ModelContents;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.nn.ScaledAdam;
import org.deephash4j.nn.TorchScriptBackbone;
import org.deephash4j.nn.Weights;
import org.deephash4j.util.SeededRandom;

/**
 * The checkpoint of one training run: the weights (BatchNorm statistics included, a TorchScript
 * backbone's as its whole module), the optimiser's
 * moments and step counts, and where training stands, so that a resumed run continues exactly as an
 * uninterrupted one would. Only a run with the same identity (method, settings, data size) resumes it.
 */
final class CheckpointFile {

    /** Where training stands: the next epoch and step, the batch-order state at that epoch's start. */
    record Position(int epoch, int step, long[] orderState, double lossSum) {
    }

    private final TrainingTask task;
    /** The optimiser whose moments are saved and restored, set by {@link #resumeOrStart}. */
    private ScaledAdam optimiser;
    private final int items;
    private final Training.Checkpoints checkpoints;
    /** The checkpoint this run resumes, once {@link #prepareResume()} has read it. */
    private ModelContents resumed;

    /**
     * @param items the number of training items
     * @param checkpoints the file and whether to resume from it; {@code null}: no checkpoint (every run starts fresh)
     */
    CheckpointFile(TrainingTask task, int items, Training.Checkpoints checkpoints) {
        this.task = task;
        this.items = items;
        this.checkpoints = checkpoints;
    }

    private String method() {
        return task.method() + "-checkpoint";
    }

    private Map<String, Object> identity() {
        ImageShape shape = task.shape();
        Map<String, Object> m = new LinkedHashMap<>(task.identity());
        m.put("input_shape", List.of(shape.channels(), shape.height(), shape.width()));
        m.put("classes", task.classes());
        m.put("training_items", items);
        return m;
    }

    /**
     * Reads the checkpoint when the run resumes one, and checks that this run wrote it; a TorchScript
     * backbone's module is then replaced by the checkpoint's (its buffers, such as BatchNorm statistics,
     * are not parameters). Called before the trainer takes the network's parameters.
     */
    void prepareResume() throws IOException {
        if (checkpoints == null || !checkpoints.resume() || !Files.exists(checkpoints.file())) {
            return;
        }
        ModelContents ck = HashModels.read(checkpoints.file());
        if (!method().equals(ck.method())) {
            throw new IllegalArgumentException(checkpoints.file() + " is not a " + task.method() + " checkpoint (" + ck.method() + ")");
        }
        Object saved = ck.config().get("run");
        if (!identity().toString().equals(String.valueOf(saved))) {
            throw new IllegalArgumentException("checkpoint " + checkpoints.file() + " was written by another run: " + saved
                    + "\nthis run: " + identity());
        }
        TorchScriptBackbone module = DeepHashFunction.torchScriptIn(task.encoder());
        if (module != null) {
            byte[] bytes = ck.sections().get(TorchScriptBackbone.SECTION);
            if (bytes == null) {
                throw new MalformedFileException(checkpoints.file(), "the checkpoint holds no TorchScript module "
                        + "(damaged, or written before checkpoints kept the module): train again without --resume");
            }
            module.replaceModule(bytes, checkpoints.file() + " (the checkpoint's TorchScript module)");
        }
        resumed = ck;
    }

    /**
     * Where training starts: the checkpoint's position with its state restored when resuming one, else the
     * first step.
     *
     * @param optimiser the run's optimiser, whose moments the checkpoint restores and later saves hold
     */
    Position resumeOrStart(ScaledAdam optimiser) throws IOException {
        this.optimiser = optimiser;
        Position fresh = new Position(1, 0, new SeededRandom(task.config().training().seed() ^ 0x5DEECE66DL).saveState(), 0);
        ModelContents ck = resumed;
        if (ck == null) {
            return fresh;
        }
        try {
            for (Pair<String, Parameter> p : task.trainingBlock().getParameters()) {
                NDArray a = p.getValue().getArray();
                Weights.copyInto(a, ck.floatArray(p.getKey(), (int) a.size()));
                if (ck.arrays().containsKey("adam.m/" + p.getKey())) {
                    int t = ((Number) ((Map<?, ?>) ck.config().get("adam_steps")).get(p.getKey())).intValue();
                    float[] variance = ck.arrays().containsKey("adam.v/" + p.getKey())
                            ? ck.floatArray("adam.v/" + p.getKey(), (int) a.size()) : new float[0];
                    optimiser.restore(p.getValue().getId(), a, new ScaledAdam.State(ck.floatArray("adam.m/" + p.getKey(), (int) a.size()),
                            variance, t));
                }
            }
            @SuppressWarnings("unchecked")
            List<Number> order = (List<Number>) ck.config().get("order_state");
            return new Position(((Number) ck.config().get("epoch")).intValue(), ((Number) ck.config().get("step")).intValue(),
                    new long[] {order.get(0).longValue(), order.get(1).longValue()}, ((Number) ck.config().get("loss_sum")).doubleValue());
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new MalformedFileException(checkpoints.file(), "damaged checkpoint: " + e.getMessage(), e);
        }
    }

    /** The file written. */
    java.nio.file.Path file() {
        return checkpoints.file();
    }

    /** Saves the run's state at position {@code at}, atomically. */
    void save(Position at) throws IOException {
        assert optimiser != null : "saved before resumeOrStart";
        Map<String, double[]> arrays = new LinkedHashMap<>();
        Map<String, Object> steps = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : task.trainingBlock().getParameters()) {
            arrays.put(p.getKey(), ModelContents.widen(p.getValue().getArray().toFloatArray()));
            ScaledAdam.State st = optimiser.state(p.getValue().getId());
            if (st != null) {
                arrays.put("adam.m/" + p.getKey(), ModelContents.widen(st.mean()));
                if (st.variance().length > 0) {
                    arrays.put("adam.v/" + p.getKey(), ModelContents.widen(st.variance()));
                }
                steps.put(p.getKey(), st.steps());
            }
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("run", identity().toString());
        cfg.put("epoch", at.epoch());
        cfg.put("step", at.step());
        cfg.put("order_state", List.of(at.orderState()[0], at.orderState()[1]));
        cfg.put("loss_sum", at.lossSum());
        cfg.put("adam_steps", steps);
        Map<String, byte[]> sections = new LinkedHashMap<>();
        TorchScriptBackbone module = DeepHashFunction.torchScriptIn(task.encoder());
        if (module != null) {
            sections.put(TorchScriptBackbone.SECTION, module.moduleBytes());
        }
        HashModels.write(checkpoints.file(), new ModelContents(method(), task.bits(), task.shape().pixels(), cfg, arrays, sections));
    }
}
