package org.deephash4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodesNpy;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.io.NpyDataReader;
import org.deephash4j.testing.Fixtures;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with a NumPy implementation of DeepHash-pytorch's CalcTopMap, on the committed fixture made by
 * {@code fixtures/eval/make_parity_fixture.py} (16-bit codes with many ties, multi-label items, a query
 * with no label): equal to 1e-9.
 */
class NumpyParityTest {

    private static final BinaryCodes Q;
    private static final BinaryCodes DB;
    private static final MultiHotLabels QL;
    private static final MultiHotLabels DBL;
    private static final JsonNode EXPECTED;

    static {
        try {
            Q = CodesNpy.readSigns(Fixtures.path("eval/query_codes.npy"));
            DB = CodesNpy.readSigns(Fixtures.path("eval/database_codes.npy"));
            QL = NpyDataReader.readLabels(Fixtures.path("eval/query_labels.npy"), 0);
            DBL = NpyDataReader.readLabels(Fixtures.path("eval/database_labels.npy"), 0);
            EXPECTED = new ObjectMapper().readTree(Fixtures.path("eval/expected.json").toFile());
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static RetrievalMetrics eval(EvalConfig c) {
        return RetrievalEvaluator.evaluate(Q, QL, DB, DBL, c, ProgressListener.NONE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100, 250, 699, 700, 5000})
    void mapAtKEqualsNumpy(int k) {
        double expected = EXPECTED.get("map").get(Integer.toString(k)).asDouble();
        assertEquals(expected, eval(EvalConfig.mapOnly(k)).mapAt(k), 1e-9);
        assertEquals(expected, eval(EvalConfig.standard().withMapCutoffs(k)).mapAt(k), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(ints = {0})
    void mapAtAllWithTheReferenceOffByOneEqualsNumpy(int all) {
        EvalConfig c = EvalConfig.mapOnly(all).withAllConvention(AllConvention.DEEPHASH_PYTORCH_MINUS_ONE);
        assertEquals(EXPECTED.get("map_all_minus_one").asDouble(), eval(c).mapAt(all), 1e-9);
        assertEquals(EXPECTED.get("map").get("700").asDouble(), eval(EvalConfig.mapOnly(all)).mapAt(all), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100})
    void hashNetDropRuleEqualsNumpy(int k) {
        EvalConfig c = EvalConfig.mapOnly(k).withZeroRelevant(ZeroRelevantRule.DROP_QUERY);
        assertEquals(EXPECTED.get("map_drop_zero").get(Integer.toString(k)).asDouble(), eval(c).mapAt(k), 1e-9);
    }
}
