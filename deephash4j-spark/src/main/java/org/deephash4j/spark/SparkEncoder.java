package org.deephash4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.Image;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.io.ImageDecoder;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.io.MalformedFileException;

/**
 * Batch encoding on Spark: a DataFrame of feature vectors or of image files in, a DataFrame of codes
 * out ({@link #SCHEMA}: id, code bytes, hex, bits, model, error), ready to write as Parquet. The model
 * file travels once as a broadcast and is loaded once per executor JVM; classic and deep models alike
 * (deep ones need the deep module on the executors' class path). A row that cannot be encoded (an
 * undecodable image, a vector of the wrong length or with NaN) gets its reason in {@code error} and no
 * code, and never fails the job.
 */
public final class SparkEncoder {

    /** Rows encoded together. */
    private static final int BATCH = 256;

    /** The output: {@code code} packed most significant bit first, {@code hex} the same as text; null code when {@code error}. */
    public static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType, false).add("code", DataTypes.BinaryType, true)
            .add("hex", DataTypes.StringType, true).add("bits", DataTypes.IntegerType, false).add("model", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true);

    private static final ConcurrentHashMap<String, HashFunction> MODELS = new ConcurrentHashMap<>();

    private SparkEncoder() {
    }

    /**
     * Encodes the {@code float} or {@code double} arrays of column {@code features}, keyed by the long
     * column {@code id}, with the model saved in {@code modelFile} (named {@code modelId} in the output).
     */
    public static Dataset<Row> encodeFeatures(Dataset<Row> input, String id, String features, Path modelFile, String modelId)
            throws IOException {
        Broadcast<byte[]> model = broadcast(input, modelFile);
        int bits = HashModels.readLoadable(modelFile).bits();
        int idIndex = input.schema().fieldIndex(id);
        int fIndex = input.schema().fieldIndex(features);
        return input.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> encode(rows, modelId, model.value(), bits, (row, f) -> {
            List<?> values = row.getList(fIndex);
            if (values == null || values.size() != f.inputDimension()) {
                throw new IllegalArgumentException("a vector of " + (values == null ? 0 : values.size()) + " values; the model takes "
                        + f.inputDimension());
            }
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((Number) values.get(i)).floatValue();
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException("value " + i + " is " + v[i]);
                }
            }
            return v;
        }, idIndex), Encoders.row(SCHEMA));
    }

    /**
     * Encodes image files: the {@code content} column of Spark's {@code binaryFile} source, keyed by the
     * long column {@code id}, decoded to {@code shape} (null: inferred, square, from the model's input).
     */
    public static Dataset<Row> encodeImages(Dataset<Row> files, String id, Path modelFile, String modelId, ImageShape shape)
            throws IOException {
        Broadcast<byte[]> model = broadcast(files, modelFile);
        // the driver reads the file only: the executors build the function (and start the engine a deep one needs)
        org.deephash4j.hash.ModelContents local = HashModels.readLoadable(modelFile);
        int bits = local.bits();
        ImageShape s = shape != null ? shape : ImageShape.squareFor(local.inputDimension());
        // only plain values travel to the executors
        int channels = s.channels();
        int height = s.height();
        int width = s.width();
        int idIndex = files.schema().fieldIndex(id);
        int contentIndex = files.schema().fieldIndex("content");
        return files.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> encode(rows, modelId, model.value(), bits,
                (row, f) -> pixels((byte[]) row.get(contentIndex), new ImageShape(channels, height, width)), idIndex),
                Encoders.row(SCHEMA));
    }

    private static Broadcast<byte[]> broadcast(Dataset<Row> input, Path modelFile) throws IOException {
        return JavaSparkContext.fromSparkContext(input.sparkSession().sparkContext()).broadcast(Files.readAllBytes(modelFile));
    }

    private static float[] pixels(byte[] content, ImageShape shape) throws IOException {
        if (content == null) {
            throw new IllegalArgumentException("no content");
        }
        Path tmp = Files.createTempFile("deephash-spark-", ".img");
        try {
            Files.write(tmp, content);
            Image img = ImageDecoder.decode(tmp, shape);
            float[] v = new float[shape.pixels()];
            FeatureMatrix.scalePixels(img.pixels(), 0, v, 0, v.length);
            return v;
        } catch (MalformedFileException e) {
            throw new IllegalArgumentException(e.problem());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Turns one input row into the model's input, or throws saying why it cannot. */
    @FunctionalInterface
    interface RowInput {
        float[] apply(Row row, HashFunction f) throws Exception;
    }

    private static Iterator<Row> encode(Iterator<Row> rows, String modelId, byte[] modelBytes, int bits, RowInput input, int idIndex)
            throws IOException {
        HashFunction f = model(modelId, modelBytes);
        List<Row> out = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            long id = row.getLong(idIndex);
            try {
                vectors.add(input.apply(row, f));
                ids.add(id);
            } catch (Exception e) {
                out.add(RowFactory.create(id, null, null, bits, modelId, e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            if (vectors.size() == BATCH || (!rows.hasNext() && !vectors.isEmpty())) {
                flush(f, modelId, ids, vectors, out);
            }
        }
        return out.iterator();
    }

    private static void flush(HashFunction f, String modelId, List<Long> ids, List<float[]> vectors, List<Row> out) {
        int d = f.inputDimension();
        float[] all = new float[vectors.size() * d];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, all, i * d, d);
        }
        long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
        BinaryCodes codes = f.encode(new FeatureMatrix(vectors.size(), d, all), idArray);
        byte[] packed = codes.toPackedBytes(BitOrder.BIG);
        int bytes = codes.bits() / 8;
        for (int i = 0; i < codes.size(); i++) {
            byte[] code = java.util.Arrays.copyOfRange(packed, i * bytes, (i + 1) * bytes);
            out.add(RowFactory.create(idArray[i], code, codes.hex(i), codes.bits(), modelId, null));
        }
        ids.clear();
        vectors.clear();
    }

    /** The model, loaded once per executor JVM from the broadcast file bytes. */
    private static HashFunction model(String modelId, byte[] bytes) throws IOException {
        String key = modelId + ":" + java.util.Arrays.hashCode(bytes);
        HashFunction f = MODELS.get(key);
        if (f == null) {
            Path tmp = Files.createTempFile("deephash-model-", HashModels.EXTENSION);
            try {
                Files.write(tmp, bytes);
                f = HashModels.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
            MODELS.putIfAbsent(key, f);
        }
        return f;
    }
}
