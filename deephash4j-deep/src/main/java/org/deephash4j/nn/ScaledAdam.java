package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam (or SGD with momentum) with L2 weight decay added to the gradient (as PyTorch's {@code Adam(weight_decay=...)}, not
 * AdamW) and a learning-rate scale per parameter, so that a backbone can learn at a fraction of the
 * head's rate (OrthoHash fine-tunes its backbone at 0.1x). The learning rate is set by the training
 * loop, which owns the schedule.
 */
public final class ScaledAdam extends ai.djl.training.optimizer.Optimizer {

    private final boolean sgd;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, Float> scaleById;
    // Moments keyed by parameter id alone (training runs on one device): a restored state is then
    // exactly the state the next update uses.
    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();
    private volatile float learningRate;

    /**
     * @param scaleById learning-rate scale per parameter id (absent = 1)
     */
    public ScaledAdam(float learningRate, float weightDecay, Map<String, Float> scaleById) {
        this(false, learningRate, weightDecay, scaleById);
    }

    /**
     * @param sgd SGD with momentum 0.9 (PyTorch's: v = 0.9 v + g + wd w, w -= lr v) instead of Adam
     */
    public ScaledAdam(boolean sgd, float learningRate, float weightDecay, Map<String, Float> scaleById) {
        super(new Builder().optWeightDecays(weightDecay));
        this.sgd = sgd;
        this.learningRate = learningRate;
        this.beta1 = 0.9f;
        this.beta2 = 0.999f;
        this.epsilon = 1e-8f;
        this.scaleById = Map.copyOf(scaleById);
    }

    /** Sets the learning rate for the following updates. */
    public void setLearningRate(float rate) {
        this.learningRate = rate;
    }

    /** The current learning rate. */
    public float learningRate() {
        return learningRate;
    }

    /**
     * One update with the engine's fused Adam kernel (one native call per parameter; weight decay as
     * L2 in the gradient), on moment arrays this optimiser owns so that they can be saved and restored.
     */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        try {
            apply(parameterId, weight, grad);
        } finally {
            // the trainer hands over a new handle on the gradient at every step, attached to the model's
            // manager; closing it here keeps that manager from growing over a run (the gradient stays)
            grad.close();
        }
    }

    private void apply(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float lr = learningRate * scaleById.getOrDefault(parameterId, 1f);
        if (sgd) {
            NDArray velocity = means.computeIfAbsent(parameterId, k -> detachedZeros(weight));
            NDArray g = getWeightDecay() == 0 ? grad : grad.add(weight.mul(getWeightDecay()));
            velocity.muli(0.9f).addi(g);
            weight.subi(velocity.mul(lr));
            return;
        }
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        float corrected = (float) (lr * Math.sqrt(c2) / c1);
        NDArray m = means.computeIfAbsent(parameterId, k -> detachedZeros(weight));
        NDArray v = variances.computeIfAbsent(parameterId, k -> detachedZeros(weight));
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight), lr, corrected, getWeightDecay(),
                rescaleGrad, clipGrad, beta1, beta2, epsilon, true, false);
    }

    /** The optimiser state of one parameter: first and second moments and the number of updates. */
    public record State(float[] mean, float[] variance, int steps) {
    }

    /** The state of parameter {@code id}, or {@code null} before its first update. */
    public State state(String id) {
        Integer t = steps.get(id);
        if (t == null) {
            return null;
        }
        NDArray v = variances.get(id);
        return new State(means.get(id).toFloatArray(), v == null ? new float[0] : v.toFloatArray(), t);
    }

    /** Restores the state of parameter {@code id}, whose current value is {@code weight}. */
    public void restore(String id, NDArray weight, State s) {
        NDArray m = weight.getManager().create(s.mean()).reshape(weight.getShape());
        m.detach();
        means.put(id, m);
        if (s.variance().length > 0) {
            NDArray v = weight.getManager().create(s.variance()).reshape(weight.getShape());
            v.detach();
            variances.put(id, v);
        }
        steps.put(id, s.steps());
    }

    private static NDArray detachedZeros(NDArray weight) {
        NDArray z = weight.zerosLike();
        z.detach();
        return z;
    }

    /** The builder DJL's base class requires. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
