package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDList;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import java.util.Map;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.augment.Augmentation;

/**
 * A deep method written in test code, as a user would add one: the codes of one view regress to
 * the signs of the first pixels of the other. One file; registering it is one line.
 */
final class TinyMethod implements DeepMethod<TinyMethod.Config> {

    static final TinyMethod METHOD = new TinyMethod();

    /** The tiny method's settings: the shared training settings and one weight of its own. */
    record Config(int bits, String backbone, Training.Settings training, float weight) implements DeepConfig {

        Config(int bits, String backbone, Training.Settings training) {
            this(bits, backbone, training, 1f);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new java.util.LinkedHashMap<>(training.describe());
            m.put("weight", weight);
            return m;
        }
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String summary() {
        return "a test method";
    }

    @Override
    public boolean supervised() {
        return false;
    }

    @Override
    public Config defaults(int bits, String backbone, ImageShape shape, long seed) {
        return new Config(bits, backbone, Training.Settings.defaults(Augmentation.none(), seed).with("epochs", 2).with("batchSize", 16));
    }

    @Override
    public List<Setting<Config>> settings() {
        return List.of(Setting.component("weight", "W", "Weight of the loss.", "weight"));
    }

    @Override
    public List<Variant<Config>> variants() {
        return List.of(new Variant<>("tiny-heavy", "weight 2", c -> org.deephash4j.util.Records.with(c, "weight", 2f)));
    }

    @Override
    public TrainingTask task(Config c, ImageShape shape, MultiHotLabels labels) {
        SequentialBlock network = DeepHashFunction.network(c.backbone(), c.bits(), DeepHashFunction.HashLayer.BN_NO_AFFINE);
        return new TrainingTask(name(), c, shape, network, network, false, 1, null, (trainer, views, y) -> {
            var u = trainer.forward(new NDList(views[0])).singletonOrThrow();
            var target = views[0].reshape(u.getShape().get(0), -1).get(":, :" + c.bits()).sub(0.5f).sign();
            return u.tanh().sub(target).square().mean().mul(c.weight());
        });
    }
}
