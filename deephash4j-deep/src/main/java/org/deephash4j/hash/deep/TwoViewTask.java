package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.initializer.XavierInitializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.data.ImageShape;
import org.deephash4j.nn.Backbones;

/**
 * The part of the training loop the unsupervised methods share: two augmented views of every image,
 * no labels, the encoding network (backbone, hash layer) that the saved model keeps.
 */
abstract class TwoViewTask implements TrainingLoop.Task {

    final String name;
    final int bits;
    final String backbone;
    final ImageShape shape;
    final SequentialBlock network;
    final Map<String, Object> describe;

    TwoViewTask(String name, int bits, String backbone, DeepHashFunction.HashLayer layer, ImageShape shape,
            Map<String, Object> describe) {
        this(name, bits, backbone, Backbones.create(backbone), layer, shape, describe);
    }

    /** As above, on a given backbone block (e.g. one wrapped for a different encoding-time pooling). */
    TwoViewTask(String name, int bits, String backbone, Block backboneBlock, DeepHashFunction.HashLayer layer, ImageShape shape,
            Map<String, Object> describe) {
        this.name = name;
        this.bits = bits;
        this.backbone = backbone;
        this.shape = shape;
        this.network = DeepHashFunction.network(backboneBlock, bits, layer);
        Map<String, Object> all = new LinkedHashMap<>(describe);
        all.put("hash_layer", layer.id());
        all.put("views", 2);
        this.describe = java.util.Collections.unmodifiableMap(all);
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
    SequentialBlock hashHead() {
        SequentialBlock head = new SequentialBlock();
        network.getChildren().values().stream().skip(1).forEach(head::add);
        return head;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>(describe);
        m.put("bits", bits);
        m.put("backbone", backbone);
        return m;
    }

    @Override
    public Block hashNetwork() {
        return network;
    }

    @Override
    public int views() {
        return 2;
    }

    @Override
    public byte[] labels() {
        return null;
    }

    @Override
    public int classes() {
        return 0;
    }

    @Override
    public DeepHashFunction function(NDManager manager, AutoCloseable owner) {
        return new DeepHashFunction(name, bits, backbone, shape, describe, manager, network, owner);
    }
}
