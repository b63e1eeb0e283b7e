package org.deephash4j.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.Image;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.io.ImageDecoder;
import org.deephash4j.data.io.NpyDataReader;
import org.deephash4j.elasticsearch.EsCodeIndex;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.index.SearchResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deephash es}: serve codes from Elasticsearch (8.15 or later: bit vectors). */
@Command(name = "es", mixinStandardHelpOptions = true,
        description = "Codes in Elasticsearch (dense_vector, element_type bit): load them, search them by code or by image.",
        subcommands = {EsCommand.Push.class, EsCommand.Search.class})
final class EsCommand extends CommandGroup {

    /** Where the cluster and the index are. */
    static final class Target {
        @Option(names = "--url", defaultValue = "http://127.0.0.1:9200", description = "Elasticsearch (default: ${DEFAULT-VALUE}).")
        String url;

        @Option(names = "--index", required = true, paramLabel = "NAME", description = "Elasticsearch index name.")
        String index;
    }

    /** {@code deephash es push}. */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Create the index (bit vectors; exact 'flat' or approximate 'hnsw') and bulk-load codes with ids and labels.")
    static final class Push implements Callable<Integer> {

        @Mixin
        Target target;

        @Option(names = "--codes", required = true, paramLabel = "FILE", description = "Codes (.dhc or .npy); their ids become document ids.")
        Path codes;

        @Option(names = "--labels", paramLabel = "FILE", description = "Labels (.npy, class indices or multi-hot), one per code.")
        Path labels;

        @Option(names = "--hnsw", description = "Index the vectors in an HNSW graph (approximate) instead of 'flat' (exact).")
        boolean hnsw;

        @Option(names = "--replace", description = "Delete an existing index of that name first.")
        boolean replace;

        @Mixin
        BitOrderOption bitOrder;

        @Override
        public Integer call() throws Exception {
            BinaryCodes c = CodeFiles.read(codes, bitOrder.order);
            MultiHotLabels l = labels == null ? null : NpyDataReader.readLabels(labels, 0);
            ElasticsearchClient client = EsCodeIndex.connect(target.url);
            try {
                EsCodeIndex index = new EsCodeIndex(client, target.index);
                long t0 = System.nanoTime();
                index.create(c.bits(), hnsw ? EsCodeIndex.VectorIndex.HNSW : EsCodeIndex.VectorIndex.FLAT, replace);
                index.push(c, l, 5_000);
                System.err.printf(Locale.ROOT, "[es] %d codes of %d bits loaded into '%s' (%s) in %.1f s%n", index.count(), c.bits(),
                        target.index, hnsw ? "hnsw" : "flat", (System.nanoTime() - t0) / 1e9);
            } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
                throw refused(target, e);
            } finally {
                client._transport().close();
            }
            return 0;
        }
    }

    /** An error Elasticsearch answered with, as an I/O error naming the server and its reason. */
    static java.io.IOException refused(Target target, co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
        return new java.io.IOException("Elasticsearch at " + target.url + " refused: " + e.error().reason() + " (" + e.error().type() + ")");
    }

    /** {@code deephash es search}. */
    @Command(name = "search", mixinStandardHelpOptions = true,
            description = {"kNN search of the index by query codes, one code, or an image encoded with a model.",
                "Writes CSV (query_id,rank,id,distance) or JSON; distances are recovered from Elasticsearch's scores."})
    static final class Search implements Callable<Integer> {

        @Mixin
        Target target;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Query query;

        /** What to search for. */
        static final class Query {
            @Option(names = "--queries", paramLabel = "FILE", description = "Query codes (.dhc or .npy).")
            Path queries;

            @Option(names = "--code", paramLabel = "HEX", description = "One code, hex, most significant bit first.")
            String code;

            @Option(names = "--image", paramLabel = "FILE", description = "An image, encoded with --model.")
            Path image;
        }

        @Option(names = "--model", paramLabel = "FILE", description = "Model (.dhm) for --image.")
        Path model;

        @Option(names = "--shape", paramLabel = "CxHxW", description = "Shape --image is decoded to (default: inferred from the model).")
        String shape;

        @Option(names = "--bits", defaultValue = "64", description = "Code length of --code (default: ${DEFAULT-VALUE}).")
        int bits;

        @Option(names = "-k", defaultValue = "10", description = "Neighbours (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--num-candidates", paramLabel = "N", description = "Candidates per shard (default: 10 k; HNSW's recall knob).")
        Integer numCandidates;

        @Option(names = "--labels", split = ",", paramLabel = "L[,L...]", description = "Only items with one of these labels.")
        Set<Integer> labels = new HashSet<>();

        @Mixin
        BitOrderOption bitOrder;

        @Mixin
        ResultsFile results;

        @Override
        public Integer call() throws Exception {
            results.check();
            if (k < 1 || k > 10_000) {
                throw new IllegalArgumentException("-k must be in [1, 10000], got " + k);
            }
            BinaryCodes q = queryCodes();
            ElasticsearchClient client = EsCodeIndex.connect(target.url);
            try {
                long t0 = System.nanoTime();
                SearchResult r = new EsCodeIndex(client, target.index).search(q, k, numCandidates == null ? 10 * k : numCandidates,
                        labels);
                results.write(ResultsFile.Rows.of(q, r));
                System.err.printf(Locale.ROOT, "[es] %d queries on '%s' in %.3f s; results in %s%n", q.size(), target.index,
                        (System.nanoTime() - t0) / 1e9, results.output.toAbsolutePath());
            } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
                throw refused(target, e);
            } finally {
                client._transport().close();
            }
            return 0;
        }

        private BinaryCodes queryCodes() throws Exception {
            if (query.queries != null) {
                return CodeFiles.read(query.queries, bitOrder.order);
            }
            if (query.code != null) {
                return BinaryCodes.fromHex(query.code, bits, 0);
            }
            if (model == null) {
                throw new IllegalArgumentException("--image needs a --model to encode it with");
            }
            HashFunction f = HashModels.load(model);
            ImageShape s = shape != null ? ImageShape.parse(shape) : ImageShape.squareFor(f.inputDimension());
            Image img = ImageDecoder.decode(query.image, s);
            float[] values = new float[s.pixels()];
            FeatureMatrix.scalePixels(img.pixels(), 0, values, 0, values.length);
            return f.encode(new FeatureMatrix(1, values.length, values), null);
        }
    }
}
