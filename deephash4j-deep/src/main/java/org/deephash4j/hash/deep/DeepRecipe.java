package org.deephash4j.hash.deep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.SupervisedHashMethod;
import org.deephash4j.util.ProgressListener;

/**
 * A deep method with a complete configuration: what {@link DeepMethods#recipe} gives for a name, with
 * settings changed by name ({@link #set}), ready to train. Immutable.
 *
 * @param <C> the method's configuration record
 */
public final class DeepRecipe<C extends DeepConfig> {

    /** A pre-trained backbone's learning rate relative to the heads' when the method's default is the full rate. */
    static final float PRE_TRAINED_BACKBONE_LR_SCALE = 0.1f;

    private final DeepMethod<C> method;
    private final String name;
    private final C config;

    DeepRecipe(DeepMethod<C> method, String name, C config) {
        this.method = method;
        this.name = name;
        this.config = config;
    }

    /** A recipe of {@code method} with configuration {@code config}. */
    public static <C extends DeepConfig> DeepRecipe<C> of(DeepMethod<C> method, C config) {
        return new DeepRecipe<>(method, method.name(), config);
    }

    /**
     * Augmented views of each image a method draws its pairs from on a frozen pretrained backbone, whose
     * features are computed once per view (docs/pretrained.md: chosen on the validation split).
     */
    public static final int PRETRAINED_FEATURE_VIEWS = 4;

    /**
     * A method's defaults adjusted for their backbone: a TorchScript backbone is pre-trained, so it
     * fine-tunes at a tenth of the heads' rate where the method's default is the full rate; a published
     * pretrained backbone ({@code mobilenetv2}) is frozen (rate 0), and its unsupervised methods draw
     * their views from {@value #PRETRAINED_FEATURE_VIEWS} cached augmented views of each image.
     */
    static <C extends DeepConfig> C forBackbone(C c) {
        if (org.deephash4j.nn.TorchScriptBackbone.isTorchScript(c.backbone()) && c.training().backboneLrScale() == 1f) {
            return DeepConfig.withTraining(c, c.training().with("backboneLrScale", PRE_TRAINED_BACKBONE_LR_SCALE));
        }
        if (org.deephash4j.nn.PretrainedBackbone.isPretrained(c.backbone()) && c.training().backboneLrScale() == 1f) {
            return DeepConfig.withTraining(c, c.training().with("backboneLrScale", 0f).with("featureViews", PRETRAINED_FEATURE_VIEWS));
        }
        return c;
    }

    /** The method. */
    public DeepMethod<C> method() {
        return method;
    }

    /** The name it was asked for: the method's, or its variant's. */
    public String name() {
        return name;
    }

    /** The configuration that trains. */
    public C config() {
        return config;
    }

    /** The settings of this method, shared training settings first. */
    public List<Setting<C>> settings() {
        List<Setting<C>> all = new ArrayList<>();
        for (Setting<Training.Settings> s : Training.SETTINGS) {
            all.add(ofTraining(s));
        }
        all.addAll(method.settings());
        return all;
    }

    /** A setting of the training settings, lifted onto a method's configuration (whose component is {@code training}). */
    private static <C extends DeepConfig> Setting<C> ofTraining(Setting<Training.Settings> s) {
        return new Setting<>(s.name(), s.valueLabel(), s.description(), c -> s.read().apply(c.training()),
                (c, v) -> DeepConfig.withTraining(c, s.write().apply(c.training(), v)));
    }

    /**
     * A copy with the settings {@code values} (name to value as text) applied in the order of
     * {@link #settings()} (so a setting that implies another's default, such as WCH's head, comes first).
     *
     * @throws IllegalArgumentException naming a setting the method does not have, or a value it refuses
     */
    public DeepRecipe<C> set(Map<String, String> values) {
        List<Setting<C>> settings = settings();
        Set<String> known = new java.util.HashSet<>();
        settings.forEach(s -> known.add(s.name()));
        for (String given : values.keySet()) {
            if (!known.contains(given)) {
                throw new IllegalArgumentException("--" + given + " is not a setting of " + method.name() + " (its own settings: "
                        + String.join(", ", method.settings().stream().map(s -> "--" + s.name()).toList()) + ")");
            }
        }
        C c = config;
        for (Setting<C> s : settings) {
            if (values.containsKey(s.name())) {
                c = s.apply(c, values.get(s.name()));
            }
        }
        return new DeepRecipe<>(method, name, c);
    }

    /** A copy with the training settings changed by {@code change}. */
    public DeepRecipe<C> withTraining(UnaryOperator<Training.Settings> change) {
        return new DeepRecipe<>(method, name, DeepConfig.withTraining(config, change.apply(config.training())));
    }

    /**
     * Trains on the rows of {@code x} (images of {@code shape}).
     *
     * @param labels the rows' labels; used only by supervised methods, which refuse {@code null}
     * @param listener told after every epoch, or {@code null}
     * @param checkpoints where and when to save training state, or {@code null} for none
     */
    public DeepHashFunction train(FeatureMatrix x, MultiHotLabels labels, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        if (method.supervised() && labels != null && labels.size() != x.rows()) {
            throw new IllegalArgumentException(x.rows() + " training items but " + labels.size() + " labels");
        }
        return TrainingLoop.run(method.task(config, shape, method.supervised() ? labels : null), x, listener, progress, checkpoints);
    }

    /**
     * This recipe as a hash method for experiments that run many methods alike; its {@code fit} trains
     * for the recipe's code length and seed and refuses others.
     */
    public SupervisedHashMethod asHashMethod(ImageShape shape, Training.EpochListener listener, ProgressListener progress) {
        return new SupervisedHashMethod() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HashFunction fit(FeatureMatrix train, MultiHotLabels labels, int bits, long seed) {
                if (bits != config.bits() || seed != config.training().seed()) {
                    throw new IllegalArgumentException(name + " was configured for " + config.bits() + " bits and seed "
                            + config.training().seed() + ", asked for " + bits + " and " + seed);
                }
                return train(train, labels, shape, listener, progress, null);
            }
        };
    }
}
