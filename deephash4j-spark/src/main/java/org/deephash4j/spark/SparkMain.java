package org.deephash4j.spark;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deephash4j.data.ImageShape;

/**
 * The entry point for {@code spark-submit}: batch encoding into Parquet.
 *
 * <pre>
 * spark-submit --class org.deephash4j.spark.SparkMain --jars CORE_JARS deephash4j-spark.jar \
 *     encode --model M.dhm --images DIR --output codes.parquet [--shape 3x32x32]
 * spark-submit ... encode --model M.dhm --vectors features.parquet [--id id] [--features features] --output codes.parquet
 * </pre>
 *
 * Image ids are the files' positions in path order; the model file is read by the driver and broadcast.
 */
public final class SparkMain {

    private SparkMain() {
    }

    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().appName("deephash4j").getOrCreate();
        try {
            run(spark, args);
        } finally {
            spark.stop();
        }
    }

    /** Runs one command on {@code spark}; returns the number of rows written. */
    public static long run(SparkSession spark, String... args) throws Exception {
        if (args.length == 0 || !args[0].equals("encode")) {
            throw new IllegalArgumentException("usage: encode --model FILE (--images DIR | --vectors PARQUET [--id COL] [--features COL]) "
                    + "--output PARQUET [--shape CxHxW]");
        }
        Map<String, String> o = new HashMap<>(Map.of("--id", "id", "--features", "features"));
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected '--option value', got '" + args[i] + "'");
            }
            o.put(args[i], args[i + 1]);
        }
        for (String required : new String[] {"--model", "--output"}) {
            if (!o.containsKey(required)) {
                throw new IllegalArgumentException(required + " is required");
            }
        }
        Path model = Path.of(o.get("--model"));
        String modelId = model.getFileName().toString().replaceFirst("\\.dhm$", "");
        Dataset<Row> codes;
        if (o.containsKey("--images")) {
            Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(o.get("--images"))
                    .withColumn("id", functions.row_number().over(org.apache.spark.sql.expressions.Window.orderBy("path"))
                            .minus(1).cast("long"));
            ImageShape shape = o.containsKey("--shape") ? ImageShape.parse(o.get("--shape")) : null;
            codes = SparkEncoder.encodeImages(files, "id", model, modelId, shape);
        } else if (o.containsKey("--vectors")) {
            codes = SparkEncoder.encodeFeatures(spark.read().parquet(o.get("--vectors")), o.get("--id"), o.get("--features"), model, modelId);
        } else {
            throw new IllegalArgumentException("give --images DIR or --vectors PARQUET");
        }
        codes.write().mode("errorifexists").parquet(o.get("--output"));
        return spark.read().parquet(o.get("--output")).count();
    }
}
