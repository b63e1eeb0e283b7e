package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsLayersModelTest {

    @TempDir
    Path dir;

    private static final String MODEL = "!function(e){if(\"object\"==typeof exports)module.exports=e()}(function(){return function e(a,n,i)"
            + "{return 0}({1:[function(e,a,n){a.exports={modelTopology:{keras_version:\"2.2.4\",model_config:{class_name:\"Model\","
            + "config:{layers:[{name:'conv',class_name:\"Conv2D\",config:{trainable:!1,strides:[2,2],note:\"a } in a string\"}}]}}},"
            + "weightsManifest:[{paths:[\"group1-shard1of1\"],weights:[{name:\"conv/kernel\",shape:[2,3],dtype:\"float32\","
            + "quantization:{min:-.5,scale:.25,dtype:\"uint8\"}},{name:\"conv/bias\",shape:[2],dtype:\"float32\"}]}]}},{}]},{},[1])(1)});";

    private void write(byte[] shard) throws Exception {
        Files.writeString(dir.resolve("model.min.js"), MODEL);
        Files.writeString(dir.resolve("group1-shard1of1.min.js"), "!function(e){}(function(){return function e(h,n,d){return 0}"
                + "({1:[function(e,h,n){h.exports=\"" + Base64.getEncoder().encodeToString(shard) + "\"},{}]},{},[1])(1)});");
    }

    private static byte[] shard(int extra) {
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + extra).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0, 1, 2, 3, 4, (byte) 255}).putFloat(1.5f).putFloat(-2f);
        return b.array();
    }

    @Test
    void readsTheTopologyAndDequantisesTheWeights() throws Exception {
        write(shard(0));
        TfjsLayersModel m = TfjsLayersModel.read(dir);
        var layer = m.topology().get("model_config").get("config").get("layers").get(0);
        assertEquals("conv", layer.get("name").asText());
        assertEquals(false, layer.get("config").get("trainable").asBoolean(true), "!1 is false");
        assertEquals("a } in a string", layer.get("config").get("note").asText());
        assertArrayEquals(new int[] {2, 3}, m.weights().get("conv/kernel").shape());
        assertArrayEquals(new float[] {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 63.25f}, m.weights().get("conv/kernel").values());
        assertArrayEquals(new float[] {1.5f, -2f}, m.weights().get("conv/bias").values());
    }

    @Test
    void shardsShorterOrLongerThanTheManifestAreRefused() throws Exception {
        write(java.util.Arrays.copyOf(shard(0), 10));
        assertTrue(assertThrows(MalformedFileException.class, () -> TfjsLayersModel.read(dir)).getMessage()
                .contains("the shards end inside weight conv/bias"));
        write(shard(3));
        assertTrue(assertThrows(MalformedFileException.class, () -> TfjsLayersModel.read(dir)).getMessage()
                .contains("3 bytes in the shards past"));
        Files.writeString(dir.resolve("model.min.js"), "module.exports = 42;");
        assertTrue(assertThrows(MalformedFileException.class, () -> TfjsLayersModel.read(dir)).getMessage()
                .contains("no exported literal"));
    }
}
