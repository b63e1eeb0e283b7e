package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry: every name resolves to its method's defaults, every variant changes what its name promises, every setting reaches the configuration. */
class DeepMethodsTest {

    static final ImageShape DIGITS = new ImageShape(1, 28, 28);

    @TempDir
    Path tmp;

    private static <C extends DeepConfig> C config(String name, int bits, Class<C> type) {
        return type.cast(DeepMethods.recipe(name, bits, "cnn", DIGITS, 0).config());
    }

    @Test
    void nshDefaultsToTheValidatedSortTemperatureAndTheSpecIsAVariant() {
        Nsh.Config d = config("nsh", 16, Nsh.Config.class);
        assertEquals(1f / 64, d.loss().sortTemperature(), "tau_sort 1/64 at every code length");
        assertEquals(1f / 16, config("nsh-spec", 16, Nsh.Config.class).loss().sortTemperature(), "the spec's 1/K");
        assertEquals(30, d.training().epochs());
        assertEquals(1, config("nsh-m1", 16, Nsh.Config.class).loss().positives());
        Nsh.Config noSort = config("nsh-no-sort", 16, Nsh.Config.class);
        assertTrue(!noSort.loss().sort() && noSort.loss().positives() == 1);
        assertTrue(config("nsh-hard-sort", 16, Nsh.Config.class).loss().hardSort());
        assertTrue(config("nsh-double-softmax", 16, Nsh.Config.class).loss().doubleSoftmax());
        assertEquals(DeepHashFunction.HashLayer.LINEAR, config("nsh-no-balance", 16, Nsh.Config.class).hashLayer());
        assertEquals(d.hashLayer(), config("nsh-m1", 16, Nsh.Config.class).hashLayer(), "a variant changes one thing");
    }

    @Test
    void wchAndContrastiveVariantsChangeOneSettingEach() {
        Wch.Config d = config("wch", 64, Wch.Config.class);
        assertTrue(d.straightThrough() && d.weighted() && !d.loss().symmetric());
        assertEquals(Wch.Attention.PARAMETER_FREE, d.attention());
        assertEquals(Wch.Attention.NONE, config("wch-no-attention", 64, Wch.Config.class).attention());
        assertFalse(config("wch-no-weights", 64, Wch.Config.class).weighted());
        Wch.Config plain = config("wch-plain", 64, Wch.Config.class);
        assertTrue(plain.attention() == Wch.Attention.NONE && !plain.weighted());
        assertEquals(DeepHashFunction.HashLayer.BN_NO_AFFINE, plain.hashLayer());
        assertEquals(0.02f, d.similarity().temperature(), "the linear head's T_w");
        Wch.Config mlp = config("wch-mlp", 64, Wch.Config.class);
        assertEquals(DeepHashFunction.HashLayer.MLP_LN_BN, mlp.hashLayer());
        assertEquals(0.05f, mlp.similarity().temperature(), "the MLP head's T_w");
        assertTrue(config("wch-symmetric", 64, Wch.Config.class).loss().symmetric());
        assertFalse(config("contrastive", 64, ContrastiveHashing.Config.class).straightThrough());
        assertTrue(config("contrastive-st", 64, ContrastiveHashing.Config.class).straightThrough());
    }

    @Test
    void nshAndContrastiveDrawMilderViewsOnAPretrainedNetwork() {
        ImageShape colour = new ImageShape(3, 32, 32);
        for (String m : java.util.List.of("nsh", "contrastive")) {
            assertEquals("natural", org.deephash4j.data.augment.AugmentationSpec.nameOf(
                    DeepMethods.recipe(m, 64, "mobilenetv2:block_10", colour, 0).config().training().augmentation()), m);
            assertEquals("mocov2", org.deephash4j.data.augment.AugmentationSpec.nameOf(
                    DeepMethods.recipe(m, 64, "cnn", colour, 0).config().training().augmentation()), m);
        }
    }

    @Test
    void unknownMethodsAreRefusedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeepMethods.recipe("nsh-typo", 16, "cnn", DIGITS, 0));
        assertTrue(e.getMessage().contains("nsh-typo") && e.getMessage().contains("nsh-spec"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeepMethods.register(Nsh.METHOD), "a name is registered once");
    }

    @Test
    void settingsOfAnotherMethodAndBadValuesAreRefusedByName() {
        DeepRecipe<?> oh = DeepMethods.recipe("orthohash", 16, "cnn", DIGITS, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> oh.set(Map.of("tau-sort", "0.1")));
        assertTrue(e.getMessage().contains("--tau-sort is not a setting of orthohash"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> oh.set(Map.of("epochs", "many")));
        assertTrue(e.getMessage().startsWith("--epochs many: 'many' is not a finite int"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> oh.set(Map.of("optimizer", "adagrad")));
        assertTrue(e.getMessage().contains("not one of adam, sgd"), e.getMessage());
    }

    @Test
    void orthoHashReestimatesBatchNormWhenAsked() {
        DeepRecipe<?> oh = DeepMethods.recipe("orthohash", 16, "cnn", DIGITS, 0);
        assertFalse(oh.config().training().reestimateBatchNorm());
        assertTrue(oh.set(Map.of("recalibrate-bn", "true")).config().training().reestimateBatchNorm());
    }

    /** Every setting of every method, given a value other than its default, changes the configuration the saved model describes. */
    @Test
    void everySettingReachesTheConfigurationThatTrains() {
        for (DeepMethod<?> m : DeepMethods.all()) {
            checkSettings(m);
        }
    }

    private static <C extends DeepConfig> void checkSettings(DeepMethod<C> m) {
        DeepRecipe<C> d = DeepRecipe.of(m, m.defaults(32, "cnn", DIGITS, 0));
        for (Setting<C> s : d.settings()) {
            String value = otherValue(s, d.config());
            DeepRecipe<C> changed = d.set(Map.of(s.name(), value));
            assertNotEquals(d.config().describe(), changed.config().describe(), m.name() + " --" + s.name() + " " + value);
            if (s.valueLabel() != null && !s.valueLabel().contains("|")) {
                assertEquals(Double.parseDouble(value), Double.parseDouble(s.show(changed.config())), 1e-6, s.name());
            }
        }
    }

    /** A value of setting {@code s} other than its current one. */
    private static <C> String otherValue(Setting<C> s, C config) {
        String current = s.show(config);
        if (s.valueLabel() == null) {
            return String.valueOf(!Boolean.parseBoolean(current));
        }
        if (s.valueLabel().contains("|")) {
            for (String option : s.valueLabel().split("\\|")) {
                if (!option.equals(option.toUpperCase(java.util.Locale.ROOT)) && !option.equals(current)) {
                    return option;
                }
            }
        }
        return current.contains(".") ? String.valueOf(Double.parseDouble(current) * 0.5 + 0.25) : String.valueOf(Integer.parseInt(current) + 1);
    }

    /** A method added from outside the built-in ones: one class and one registration line, then fit, save, load and encode by name. */
    @Test
    void aMethodRegisteredFromTestCodeFitsSavesLoadsAndEncodes() throws IOException {
        if (!DeepMethods.isDeep("tiny")) {
            DeepMethods.register(TinyMethod.METHOD);
        }
        assertTrue(DeepMethods.names().contains("tiny-heavy"));
        ImageShape shape = new ImageShape(1, 4, 4);
        FeatureMatrix images = OrthoHashTest.features(64, 2, new int[64]);
        DeepRecipe<?> recipe = DeepMethods.recipe("tiny-heavy", 16, "mlp", shape, 1).set(Map.of("epochs", "1"));
        assertEquals(2f, ((TinyMethod.Config) recipe.config()).weight());
        Path file = tmp.resolve("tiny.dhm");
        BinaryCodes before;
        try (DeepHashFunction f = recipe.train(images, null, shape, null, ProgressListener.NONE, null)) {
            assertEquals("tiny", f.method());
            before = f.encode(images, null);
            HashModels.save(file, f, new LinkedHashMap<>());
        }
        HashFunction loaded = HashModels.load(file);
        assertEquals("tiny", loaded.method());
        assertArrayEquals(before.words(), loaded.encode(images, null).words(), "the loaded model encodes as the trained one");
        assertEquals(2.0, ((Number) HashModels.read(file).config().get("weight")).doubleValue());
    }
}
