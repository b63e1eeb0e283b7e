package org.deephash4j.hash.deep;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.initializer.XavierInitializer;
import java.util.Map;
import org.deephash4j.data.ImageShape;
import org.deephash4j.util.Records;

/**
 * What the unsupervised methods' training tasks share: two augmented views of every image, no labels,
 * the encoding network (backbone, hash layer) that the saved model keeps, PyTorch's initialisation,
 * and the balance setting of their hash layers.
 */
final class TwoViewTask {

    private TwoViewTask() {
    }

    /**
     * The task of unsupervised method {@code method}: two views of every image through {@code training},
     * which shares its children with {@code encoder}.
     *
     * @throws IllegalArgumentException if the configuration's augmentation makes both views the same image,
     *     or the items are plain feature vectors (one pixel high), which image augmentation would mangle
     */
    static TrainingTask of(String method, DeepConfig c, ImageShape shape, SequentialBlock encoder, Block training, boolean viewsTogether,
            TrainingTask.Objective objective) {
        if (c.training().augmentation().isIdentity()) {
            throw new IllegalArgumentException(method + " learns from two augmented views of each image; with augmentation none "
                    + "both views are the same image and there is nothing to learn (choose digits, natural or mocov2)");
        }
        if (shape.height() == 1) {
            throw new IllegalArgumentException(method + " learns from augmented views of images, but the items are plain "
                    + "feature vectors (" + shape + "): cropping and flipping would treat each as a one-pixel-high strip. "
                    + "If the rows are images, say their shape (--shape CxHxW)");
        }
        initialiseAsPyTorch(training);
        return new TrainingTask(method, c, shape, encoder, training, viewsTogether, 2, null, objective);
    }

    /**
     * Gives every weight of {@code block} PyTorch's default initialisation, U(-1/sqrt(fan_in),
     * 1/sqrt(fan_in)), as in the reference runs these methods are compared with (DJL's default, Xavier
     * with magnitude 6 over the mean fan, starts the heads about 3 times larger).
     */
    static void initialiseAsPyTorch(Block block) {
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1f),
                Parameter.Type.WEIGHT);
    }

    /** The hash layer and its normalisation: the encoding network's children after the backbone. */
    static SequentialBlock hashHead(SequentialBlock network) {
        SequentialBlock head = new SequentialBlock();
        network.getChildren().values().stream().skip(1).forEach(head::add);
        return head;
    }

    /** The description an unsupervised configuration saves: its settings, its hash layer and the views. */
    static Map<String, Object> describe(Map<String, Object> settings, DeepHashFunction.HashLayer layer) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(settings);
        all.put("hash_layer", layer.id());
        all.put("views", 2);
        return all;
    }

    /**
     * The {@code head} setting of a configuration whose hash layer is the record component
     * {@code hashLayer}: a single linear layer, or an MLP (LayerNorm, 1024, ReLU, linear), keeping the
     * balance setting. On frozen pretrained features the MLP is the only part that learns a non-linear map.
     */
    static <C extends Record & DeepConfig> Setting<C> head(java.util.function.Function<C, DeepHashFunction.HashLayer> layer) {
        return new Setting<>("head", "linear|mlp", "The hash head: a single linear layer, or an MLP (LayerNorm, 1024, ReLU, linear).",
                c -> layer.apply(c).mlp() ? "mlp" : "linear", (c, v) -> Records.with(c, "hashLayer", layer.apply(c).withMlp(isMlp(v))));
    }

    /** {@code mlp} or {@code linear} as a head choice. */
    static boolean isMlp(String head) {
        return switch (head) {
            case "mlp" -> true;
            case "linear" -> false;
            default -> throw new IllegalArgumentException("head must be linear or mlp, got '" + head + "'");
        };
    }

    /**
     * The {@code balance} setting of a configuration whose hash layer is the record component
     * {@code hashLayer}: {@code bn} (BatchNorm without affine parameters before tanh) or {@code none}.
     */
    static <C extends Record & DeepConfig> Setting<C> balance(java.util.function.Function<C, DeepHashFunction.HashLayer> layer) {
        return new Setting<>("balance", "bn|none", "Bit balance by BatchNorm without affine parameters before tanh, or none.",
                c -> layer.apply(c).balanced() ? "bn" : "none",
                (c, v) -> Records.with(c, "hashLayer", layer.apply(c).withBalance(switch (v) {
                    case "bn" -> true;
                    case "none" -> false;
                    default -> throw new IllegalArgumentException("balance must be bn or none, got '" + v + "'");
                })));
    }
}
