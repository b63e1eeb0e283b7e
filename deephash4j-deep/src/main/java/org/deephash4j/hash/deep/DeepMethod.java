package org.deephash4j.hash.deep;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;

/**
 * A deep hashing method: its name, its configuration record with the defaults, the settings a user
 * may change, its named variants (ablations, the spec's settings where a validated default replaced
 * them), and how it builds its training task. Registered once in {@link DeepMethods}; fitting,
 * saving, loading and encoding need nothing else.
 *
 * @param <C> the method's configuration record
 */
public interface DeepMethod<C extends DeepConfig> {

    /** The name users give and saved models carry, e.g. {@code nsh}. */
    String name();

    /** One line saying what the method is. */
    String summary();

    /** Whether training needs the training items' labels. */
    boolean supervised();

    /**
     * The method's defaults for {@code bits}-bit codes on backbone {@code backbone} and images of
     * {@code shape}, training seeded with {@code seed}.
     */
    C defaults(int bits, String backbone, ImageShape shape, long seed);

    /** The method's own settings a user may change; the shared {@link Training#SETTINGS} come on top. */
    List<Setting<C>> settings();

    /**
     * Whether the method learns from patch tokens (a feature grid) rather than pooled features; on a
     * pretrained network it then defaults to the network's token stage ({@code mobilenetv2:block_10}).
     */
    default boolean patchTokens() {
        return false;
    }

    /** Named variants of the method: each is the defaults with one documented change. */
    default List<Variant<C>> variants() {
        return List.of();
    }

    /** The training task of configuration {@code config}; {@code labels} are the training items' ({@code null} when unsupervised). */
    TrainingTask task(C config, ImageShape shape, MultiHotLabels labels);

    /**
     * The encoder's backbone of a saved model whose configuration is {@code config}, around the plain
     * {@code backbone} block called {@code name}: the backbone itself unless the method encodes differently.
     */
    default Block encodingBackbone(Map<String, Object> config, String name, Block backbone) {
        return backbone;
    }

    /**
     * A named variant: the method's defaults changed by {@code change}.
     *
     * @param name the full name, e.g. {@code nsh-m1}
     */
    record Variant<C>(String name, String description, UnaryOperator<C> change) {
    }
}
