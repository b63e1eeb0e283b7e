package org.deephash4j.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.http.HttpHost;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.index.SearchResult;
import org.elasticsearch.client.RestClient;

/**
 * Binary codes in an Elasticsearch index, through the official Java client: a {@code dense_vector}
 * field with {@code element_type: bit} (Elasticsearch 8.15 and later), values as hex strings most
 * significant bit first, {@code similarity: l2_norm}, which on bits is the Hamming distance
 * ({@code _score = (bits - hamming) / bits}); with {@code index_options: flat} the kNN search is exact,
 * with {@code hnsw} approximate. Documents carry the item id ({@code id}, also the document id) and its
 * labels ({@code labels}), which searches can filter on.
 */
public final class EsCodeIndex {

    /** How Elasticsearch indexes the vectors. */
    public enum VectorIndex {
        /** Exact: every vector compared (per shard). */
        FLAT,
        /** Approximate: an HNSW graph; recall depends on {@code num_candidates}. */
        HNSW
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchClient client;
    private final String index;

    public EsCodeIndex(ElasticsearchClient client, String index) {
        this.client = client;
        this.index = index;
    }

    /** A client of the cluster at {@code url} (e.g. {@code http://127.0.0.1:9200}); close its transport when done. */
    public static ElasticsearchClient connect(String url) {
        RestClient rest = RestClient.builder(HttpHost.create(url)).build();
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }

    /** Creates the index for {@code bits}-bit codes (one shard, no replica), deleting an existing one if {@code replace}. */
    public void create(int bits, VectorIndex vectorIndex, boolean replace) throws IOException {
        BinaryCodes.checkBits(bits);
        if (replace && client.indices().exists(e -> e.index(index)).value()) {
            client.indices().delete(d -> d.index(index));
        }
        ObjectNode code = JSON.createObjectNode().put("type", "dense_vector").put("element_type", "bit").put("dims", bits)
                .put("index", true).put("similarity", "l2_norm");
        code.putObject("index_options").put("type", vectorIndex == VectorIndex.FLAT ? "flat" : "hnsw");
        ObjectNode body = JSON.createObjectNode();
        body.putObject("settings").put("number_of_shards", 1).put("number_of_replicas", 0);
        ObjectNode props = body.putObject("mappings").putObject("properties");
        props.set("code", code);
        props.putObject("id").put("type", "long");
        props.putObject("labels").put("type", "integer");
        client.indices().create(c -> c.index(index).withJson(new StringReader(body.toString())));
    }

    /** Bulk-loads {@code codes} (with {@code labels}, which may be null) in batches of {@code batch}, then refreshes. */
    public void push(BinaryCodes codes, MultiHotLabels labels, int batch) throws IOException {
        if (labels != null && labels.size() != codes.size()) {
            throw new IllegalArgumentException(codes.size() + " codes with " + labels.size() + " labels");
        }
        for (int from = 0; from < codes.size(); from += batch) {
            BulkRequest.Builder b = new BulkRequest.Builder().index(index);
            for (int i = from; i < Math.min(codes.size(), from + batch); i++) {
                Map<String, Object> doc = new LinkedHashMap<>();
                long id = codes.id(i);
                doc.put("id", id);
                doc.put("code", codes.hex(i));
                if (labels != null) {
                    doc.put("labels", labels.classesOf(i));
                }
                b.operations(op -> op.index(x -> x.id(Long.toString(id)).document(doc)));
            }
            BulkResponse r = client.bulk(b.build());
            if (r.errors()) {
                String reason = r.items().stream().filter(it -> it.error() != null).findFirst()
                        .map(it -> it.id() + ": " + it.error().reason()).orElse("?");
                throw new IOException("Elasticsearch refused part of a bulk load, e.g. " + reason);
            }
        }
        client.indices().refresh(r -> r.index(index));
    }

    /** Documents in the index. */
    public long count() throws IOException {
        return client.count(c -> c.index(index)).count();
    }

    /**
     * The k nearest codes to each query by kNN search, with {@code numCandidates} candidates per shard
     * (at least k; exact with {@code flat}), only documents with one of {@code labels} unless empty.
     * Hamming distances are recovered from the scores.
     */
    public SearchResult search(BinaryCodes queries, int k, int numCandidates, Set<Integer> labels) throws IOException {
        int bits = queries.bits();
        byte[] packed = queries.toPackedBytes(BitOrder.BIG);
        int bytesPerCode = bits / 8;
        List<long[]> ids = new ArrayList<>();
        List<int[]> dists = new ArrayList<>();
        int width = Integer.MAX_VALUE;
        List<co.elastic.clients.elasticsearch._types.FieldValue> labelValues = labels.stream()
                .map(l -> co.elastic.clients.elasticsearch._types.FieldValue.of(l)).toList();
        for (int q = 0; q < queries.size(); q++) {
            // a bit vector's query as signed bytes, most significant bit first (the typed client takes numbers)
            List<Float> vector = new ArrayList<>(bytesPerCode);
            for (int i = q * bytesPerCode; i < (q + 1) * bytesPerCode; i++) {
                vector.add((float) packed[i]);
            }
            SearchResponse<Map> r = client.search(s -> s.index(index).size(k).source(src -> src.filter(f -> f.includes("id")))
                    .knn(kn -> {
                        kn.field("code").queryVector(vector).k(k).numCandidates(Math.max(k, numCandidates));
                        if (!labelValues.isEmpty()) {
                            kn.filter(f -> f.terms(t -> t.field("labels").terms(v -> v.value(labelValues))));
                        }
                        return kn;
                    }), Map.class);
            List<Hit<Map>> hits = r.hits().hits();
            long[][] pairs = new long[hits.size()][];
            for (int j = 0; j < hits.size(); j++) {
                pairs[j] = new long[] {Math.round(bits * (1 - hits.get(j).score())), Long.parseLong(hits.get(j).id())};
            }
            // equal scores come in Elasticsearch's internal order: rank them by (distance, id) as every index here does
            java.util.Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            long[] qi = new long[hits.size()];
            int[] qd = new int[hits.size()];
            for (int j = 0; j < hits.size(); j++) {
                qd[j] = (int) pairs[j][0];
                qi[j] = pairs[j][1];
            }
            ids.add(qi);
            dists.add(qd);
            width = Math.min(width, hits.size());
        }
        width = queries.size() == 0 ? 0 : width;
        long[] outIds = new long[queries.size() * width];
        int[] outDist = new int[queries.size() * width];
        for (int q = 0; q < queries.size(); q++) {
            System.arraycopy(ids.get(q), 0, outIds, q * width, width);
            System.arraycopy(dists.get(q), 0, outDist, q * width, width);
        }
        return new SearchResult(queries.size(), width, outIds, outDist);
    }
}
