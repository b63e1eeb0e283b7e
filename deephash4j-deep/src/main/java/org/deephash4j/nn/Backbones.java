package org.deephash4j.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.TransformerEncoderBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * The backbones a hash head sits on, each ending in a pooled feature vector:
 * <ul>
 *   <li>{@code cnn}: 3 x [conv 3x3 - BN - ReLU] with 32/64/128 filters, max-pooling after the first two,
 *       global average pooling: 128 features; for 28x28 and 32x32 images, trained from scratch (the
 *       network of the PyTorch reference run);</li>
 *   <li>{@code resnet}: DJL's ResNetV1 with 20 layers (the CIFAR-style network: 3 stages of 16/32/64
 *       filters) ending in a 128-unit linear layer; for 28x28 to 32x32 images, trained from scratch;</li>
 *   <li>{@code vit}: a small vision transformer trained from scratch: 4x4 patches embedded to 64
 *       dimensions, a learned position embedding, 4 transformer encoder layers (4 heads, MLP 128,
 *       dropout 0.1), LayerNorm, then the mean over the patch tokens: 64 features (49 tokens for
 *       28x28 images, 64 for 32x32);</li>
 *   <li>{@code mlp}: flatten, 2 x [linear 512 - BN - ReLU]: 512 features; for feature vectors;</li>
 *   <li>{@code mobilenetv2}, {@code mobilenetv2:block_N}: the ImageNet-pretrained MobileNetV2 rebuilt from its
 *       published weights ({@link PretrainedBackbone}), frozen unless a method fine-tunes it; any image size;</li>
 *   <li>{@code torchscript:PATH}: the user's TorchScript module ({@link TorchScriptBackbone}), fine-tuned.</li>
 * </ul>
 * Methods that need patch features (WCH) take {@link #tokens} of a backbone: the same blocks without the
 * final pooling, giving {@code (N, P, d)} tokens whose mean is the pooled feature vector ({@code cnn}: the
 * 7x7 (8x8) cells of the last feature map; {@code vit}: the patch tokens; pretrained: the cut layer's cells).
 */
public final class Backbones {

    private Backbones() {
    }

    /** Names of the backbones. */
    public static java.util.List<String> names() {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("cnn", "resnet", "vit", "mlp"));
        all.addAll(PretrainedBackbone.names());
        return java.util.List.copyOf(all);
    }

    /** The backbone called {@code name}. */
    public static Block create(String name) {
        // every network starts here: the engine must start with deephash4j's settings (cache folder, no
        // graph optimiser) before any block asks DJL for it
        DeepEngine.get();
        if (TorchScriptBackbone.isTorchScript(name)) {
            return TorchScriptBackbone.fromSpec(name);
        }
        if (PretrainedBackbone.isPretrained(name)) {
            return PretrainedBackbone.create(name);
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cnn" -> smallCnn();
            case "resnet" -> resnet();
            case "vit" -> vit();
            case "mlp" -> mlp();
            default -> throw new IllegalArgumentException("unknown backbone '" + name + "' (" + String.join(", ", names())
                    + ", mobilenetv2:block_N, torchscript:PATH)");
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

    static final int VIT_PATCH = 4;
    static final int VIT_DIM = 64;
    static final int VIT_LAYERS = 4;

    static Block vit() {
        SequentialBlock b = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(VIT_PATCH, VIT_PATCH)).optStride(new Shape(VIT_PATCH, VIT_PATCH))
                        .setFilters(VIT_DIM).build())
                .add(new LambdaBlock(Tokens::fromMap, "tokens"))
                .add(new PositionEmbedding());
        for (int i = 0; i < VIT_LAYERS; i++) {
            b.add(new TransformerEncoderBlock(VIT_DIM, 4, 2 * VIT_DIM, 0.1f, Activation::gelu));
        }
        return b.add(LayerNorm.builder().axis(2).build()).add(new LambdaBlock(Tokens::mean, "mean"));
    }

    /**
     * The patch tokens {@code (N, P, d)} of a backbone made by {@link #create}: a block sharing its
     * children (and so its parameters) without the final pooling.
     */
    public static Block tokens(String name, Block backbone) {
        if (backbone instanceof TorchScriptBackbone ts) {
            return ts.tokens();
        }
        if (backbone instanceof PretrainedBackbone p) {
            return p.tokens();
        }
        String kind = name.toLowerCase(Locale.ROOT);
        if (!kind.equals("cnn") && !kind.equals("vit")) {
            throw new IllegalArgumentException("backbone '" + name + "' gives no patch tokens (cnn, vit, pretrained and TorchScript feature maps do)");
        }
        SequentialBlock t = new SequentialBlock();
        java.util.List<Block> children = backbone.getChildren().values();
        children.subList(0, children.size() - 1).forEach(t::add);
        if (kind.equals("cnn")) {
            t.add(new LambdaBlock(Tokens::fromMap, "tokens"));
        }
        return t;
    }

    static Block mlp() {
        SequentialBlock b = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int i = 0; i < 2; i++) {
            b.add(Linear.builder().setUnits(512).build()).add(BatchNorm.builder().build()).add(Activation::relu);
        }
        return b;
    }
}
