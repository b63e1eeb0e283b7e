package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;

/** The training loop skips a step whose gradients are not finite or spike, and ends a run that keeps producing them. */
class NonFiniteGradientsTest {

    /** 160 items, batch 32: 5 steps an epoch. */
    private static final Training.Settings SETTINGS = new Training.Settings(3, 32, 1e-2f, 1f, 0f, Training.Optimiser.ADAM,
            Training.Schedule.CONSTANT, Augmentation.none(), 0, false);

    /**
     * A two-view task on the mlp backbone whose loss moves the codes; at the steps {@code poisoned} accepts
     * its gradients are NaN, or its loss is NaN, or (with a {@code spike} factor) its loss and so its
     * gradients are multiplied by that factor.
     */
    private static final class Poisoned implements TrainingTask.Objective {
        private final IntPredicate poisoned;
        private final boolean nanLoss;
        private final float spike;
        private int calls;

        Poisoned(IntPredicate poisoned, boolean nanLoss) {
            this(poisoned, nanLoss, 0);
        }

        Poisoned(IntPredicate poisoned, boolean nanLoss, float spike) {
            this.poisoned = poisoned;
            this.nanLoss = nanLoss;
            this.spike = spike;
        }

        /** The task: two views on the mlp backbone with the BatchNorm balance, trained with {@code settings}. */
        TrainingTask task(Training.Settings settings) {
            var network = DeepHashFunction.network("mlp", 16, DeepHashFunction.HashLayer.BN_NO_AFFINE);
            return new TrainingTask("poisoned", new TinyMethod.Config(16, "mlp", settings), ResumeTest.SHAPE, network, network, false, 2,
                    null, this);
        }

        @Override
        public NDArray loss(Trainer trainer, NDArray[] views, NDArray labels) {
            calls++;
            NDArray u = trainer.forward(new NDList(views[0])).singletonOrThrow();
            NDArray loss = u.tanh().sub(views[1].reshape(u.getShape().get(0), -1).get(":, :16")).square().mean();
            if (!poisoned.test(calls)) {
                return loss;
            }
            if (spike > 0) {
                return loss.mul(spike);
            }
            // sqrt at 0: a finite loss (0 is added) whose gradient is inf * 0 = NaN; or a NaN loss
            return nanLoss ? loss.add(Float.NaN) : loss.add(u.mul(0).sqrt().sum());
        }
    }

    private static List<String> statuses(Poisoned task, FeatureMatrix x) {
        return statuses(task, x, SETTINGS);
    }

    private static List<String> statuses(Poisoned task, FeatureMatrix x, Training.Settings settings) {
        List<String> seen = new ArrayList<>();
        ProgressListener record = new ProgressListener() {
            @Override
            public void start(String name, long total) {
            }

            @Override
            public void advance(long units) {
            }

            @Override
            public void finish() {
            }

            @Override
            public void status(String text) {
                seen.add(text);
            }
        };
        try (DeepHashFunction f = TrainingLoop.run(task.task(settings), x, null, record, null)) {
            for (Pair<String, Parameter> p : f.block().getParameters()) {
                for (float v : p.getValue().getArray().toFloatArray()) {
                    assertTrue(Float.isFinite(v), "parameter " + p.getKey() + " stays finite");
                }
            }
        }
        return seen;
    }

    @Test
    void aStepWithNonFiniteGradientsIsSkippedAndReported() {
        FeatureMatrix x = OrthoHashTest.features(160, 3, new int[160]);
        List<String> seen = statuses(new Poisoned(call -> call == 3, false), x);
        assertEquals(15, seen.size(), "one status per step");
        assertTrue(seen.get(1).endsWith("images/s"), seen.get(1));
        for (int step = 2; step < 5; step++) {
            assertTrue(seen.get(step).endsWith(", 1 step skipped (non-finite gradients)"), seen.get(step));
        }
        assertTrue(seen.get(5).endsWith("images/s"), "the count is per epoch: " + seen.get(5));
    }

    @Test
    void nonFiniteGradientsStepAfterStepEndTheRun() {
        FeatureMatrix x = OrthoHashTest.features(160, 3, new int[160]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> statuses(new Poisoned(call -> call >= 2, false), x));
        assertEquals("poisoned training diverged: non-finite gradients in 11 steps in a row, the last at epoch 3, step 2 (try a lower "
                + "learning rate)", e.getMessage());
    }

    /** Seven epochs of 5 steps: 35 steps, more than the guard's warm-up and 11 more. */
    private static final Training.Settings LONGER = SETTINGS.with("epochs", 7);

    @Test
    void aGradientSpikeAfterTheWarmUpIsSkippedAndReported() {
        FeatureMatrix x = OrthoHashTest.features(160, 3, new int[160]);
        int spikeAt = GradientGuard.WARM_UP + 4;
        List<String> seen = statuses(new Poisoned(call -> call == spikeAt, false, 1e6f), x, LONGER);
        assertEquals(35, seen.size(), "one status per step");
        assertTrue(seen.get(spikeAt - 1).endsWith(", 1 step skipped (gradient spikes)"), seen.get(spikeAt - 1));
        assertTrue(seen.get(spikeAt - 2).endsWith("images/s"), seen.get(spikeAt - 2));
        // during the warm-up there is no median to compare with: the same spike goes through
        seen = statuses(new Poisoned(call -> call == 3, false, 1e6f), x, LONGER);
        assertTrue(seen.stream().allMatch(line -> line.endsWith("images/s")), seen.toString());
        // a factor of 10 is no spike
        seen = statuses(new Poisoned(call -> call == spikeAt, false, 10f), x, LONGER);
        assertTrue(seen.stream().allMatch(line -> line.endsWith("images/s")), seen.toString());
    }

    @Test
    void spikeAfterSpikeEndsTheRun() {
        FeatureMatrix x = OrthoHashTest.features(160, 3, new int[160]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> statuses(new Poisoned(call -> call > GradientGuard.WARM_UP, false, 1e6f), x, LONGER));
        assertEquals("poisoned training diverged: gradient spikes in 11 steps in a row, the last at epoch 7, step 1 (try a lower "
                + "learning rate)", e.getMessage());
    }

    @Test
    void aNonFiniteLossSaysWhetherTheParametersAreStillFinite() {
        FeatureMatrix x = OrthoHashTest.features(160, 3, new int[160]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> statuses(new Poisoned(call -> call == 4, true), x));
        assertEquals("poisoned training diverged: loss NaN at epoch 1, step 4; every parameter is finite: the forward pass overflowed "
                + "on this batch (try a lower learning rate)", e.getMessage());
    }
}
