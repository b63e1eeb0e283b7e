package org.deephash4j.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * The backbones a hash head sits on, each ending in a pooled feature vector:
 * <ul>
 *   <li>{@code cnn}: 3 x [conv 3x3 - BN - ReLU] with 32/64/128 filters, max-pooling after the first two,
 *       global average pooling: 128 features; for 28x28 and 32x32 images, trained from scratch (the
 *       network of the PyTorch reference run in nsh-notes.md);</li>
 *   <li>{@code resnet}: DJL's ResNetV1 with 20 layers (the CIFAR-style network: 3 stages of 16/32/64
 *       filters) ending in a 128-unit linear layer; for 28x28 to 32x32 images, trained from scratch;</li>
 *   <li>{@code mlp}: flatten, 2 x [linear 512 - BN - ReLU]: 512 features; for feature vectors.</li>
 * </ul>
 */
public final class Backbones {

    private Backbones() {
    }

    /** Names of the backbones. */
    public static java.util.List<String> names() {
        return java.util.List.of("cnn", "resnet", "mlp");
    }

    /** The backbone called {@code name}. */
    public static Block create(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cnn" -> smallCnn();
            case "resnet" -> resnet();
            case "mlp" -> mlp();
            default -> throw new IllegalArgumentException("unknown backbone '" + name + "' (" + String.join(", ", names()) + ")");
        };
    }

    static Block smallCnn() {
        SequentialBlock b = new SequentialBlock();
        int[] filters = {32, 64, 128};
        for (int i = 0; i < filters.length; i++) {
            b.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters[i]).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation::relu);
            if (i < 2) {
                b.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return b.add(Pool.globalAvgPool2dBlock());
    }

    static Block resnet() {
        // Image shape 28x28 selects DJL's CIFAR-style ResNet (no bottleneck); the net is fully convolutional
        // up to its global pooling, so 32x32 inputs work too (stack.md). The channel count is inferred.
        return ai.djl.basicmodelzoo.cv.classification.ResNetV1.builder().setImageShape(new Shape(1, 28, 28)).setNumLayers(20)
                .setOutSize(128).build();
    }

    static Block mlp() {
        SequentialBlock b = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int i = 0; i < 2; i++) {
            b.add(Linear.builder().setUnits(512).build()).add(BatchNorm.builder().build()).add(Activation::relu);
        }
        return b;
    }
}
