package org.deephash4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.io.ImageDecoder;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.classic.Itq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch encoding in Spark's local mode gives the model's own codes; bad rows get an error, not a failed job. */
class SparkEncoderTest {

    @TempDir
    Path tmp;

    private static HashFunction model(int dim, int bits) {
        Random r = new Random(3);
        float[] x = new float[500 * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return new Itq().fit(new FeatureMatrix(500, dim, x), bits, 1);
    }

    @Test
    void featureVectorsBecomeTheModelsCodesAndParquet() throws Exception {
        var spark = DistributedSearchTest.session();
        HashFunction f = model(40, 32);
        Path file = tmp.resolve("itq.dhm");
        HashModels.save(file, f, Map.of());
        Random r = new Random(5);
        List<Row> rows = new ArrayList<>();
        float[] all = new float[1000 * 40];
        for (int i = 0; i < 1000; i++) {
            List<Float> v = new ArrayList<>();
            for (int j = 0; j < 40; j++) {
                all[i * 40 + j] = r.nextFloat();
                v.add(all[i * 40 + j]);
            }
            rows.add(RowFactory.create(1000L + i, v));
        }
        rows.add(RowFactory.create(9L, List.of(1f, 2f)));
        List<Float> nan = new ArrayList<>(java.util.Collections.nCopies(40, 0f));
        nan.set(5, Float.NaN);
        rows.add(RowFactory.create(10L, nan));
        StructType schema = new StructType().add("id", DataTypes.LongType).add("v", DataTypes.createArrayType(DataTypes.FloatType));
        Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(3);
        Dataset<Row> codes = SparkEncoder.encodeFeatures(input, "id", "v", file, "itq32");
        Path parquet = tmp.resolve("codes.parquet");
        codes.write().parquet(parquet.toString());
        Map<Long, Row> back = new HashMap<>();
        for (Row row : spark.read().parquet(parquet.toString()).collectAsList()) {
            back.put(row.getLong(0), row);
        }
        assertEquals(1002, back.size());
        BinaryCodes want = f.encode(new FeatureMatrix(1000, 40, all), null);
        byte[] packed = want.toPackedBytes(BitOrder.BIG);
        for (int i = 0; i < 1000; i++) {
            Row row = back.get(1000L + i);
            String hex = HexFormat.of().formatHex(packed, i * 4, i * 4 + 4);
            assertEquals(hex, row.getAs("hex"), "row " + i);
            assertEquals(hex, HexFormat.of().formatHex((byte[]) row.getAs("code")));
            assertEquals(32, (int) row.getAs("bits"));
            assertEquals("itq32", row.getAs("model"));
            assertNull(row.getAs("error"));
        }
        assertTrue(((String) back.get(9L).getAs("error")).contains("a vector of 2 values"), back.get(9L).toString());
        assertTrue(((String) back.get(10L).getAs("error")).contains("NaN"), back.get(10L).toString());
        assertNull(back.get(10L).getAs("code"));
    }

    @Test
    void imageFilesThroughTheBinaryFileSourceAndACorruptOneDoesNotKillTheJob() throws Exception {
        var spark = DistributedSearchTest.session();
        HashFunction f = model(3 * 8 * 8, 16);
        Path file = tmp.resolve("m.dhm");
        HashModels.save(file, f, Map.of());
        Path dir = Files.createDirectories(tmp.resolve("images"));
        for (int i = 0; i < 6; i++) {
            BufferedImage img = new BufferedImage(20 + i, 20, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20 + i; x++) {
                    img.setRGB(x, y, (x * 12 + i * 40) << 16 | (y * 11) << 8 | (i * 30));
                }
            }
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
        }
        Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Dataset<Row> files = spark.read().format("binaryFile").load(dir.toString())
                .withColumn("id", functions.when(functions.col("path").endsWith("broken.png"), functions.lit(99L))
                        .otherwise(functions.regexp_extract(functions.col("path"), "img(\\d+)\\.png$", 1).cast("long")));
        List<Row> out = SparkEncoder.encodeImages(files, "id", file, "m", null).collectAsList();
        assertEquals(7, out.size());
        // the spark-submit entry point: the same folder into Parquet, ids by path order
        Path parquet = tmp.resolve("images.parquet");
        assertEquals(7, SparkMain.run(spark, "encode", "--model", file.toString(), "--images", dir.toString(), "--output",
                parquet.toString()));
        List<Row> written = spark.read().parquet(parquet.toString()).orderBy("id").collectAsList();
        assertTrue(((String) written.get(0).getAs("error")).contains("not a readable image"), "broken.png sorts first");
        assertEquals(6, written.stream().filter(row -> row.getAs("error") == null).count());
        for (Row row : out) {
            long id = row.getLong(0);
            if (id == 99) {
                assertTrue(((String) row.getAs("error")).contains("not a readable image"), row.toString());
                continue;
            }
            float[] v = new float[192];
            FeatureMatrix.scalePixels(ImageDecoder.decode(dir.resolve("img" + id + ".png"), new ImageShape(3, 8, 8)).pixels(), 0, v, 0,
                    192);
            BinaryCodes want = f.encode(new FeatureMatrix(1, 192, v), null);
            assertEquals(HexFormat.of().formatHex(want.toPackedBytes(BitOrder.BIG)), row.getAs("hex"), "image " + id);
        }
    }
}
