package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;

/** Every named variant changes exactly the setting its name promises and keeps the method's defaults otherwise. */
class DeepMethodsTest {

    static final ImageShape DIGITS = new ImageShape(1, 28, 28);

    @Test
    void nshVariantsChangeOneSettingEach() {
        Nsh.Config d = DeepMethods.nsh("nsh", 16, "cnn", DIGITS, 7, 0);
        assertEquals(1f / 16, d.loss().sortTemperature(), "the spec's default tau_sort is 1/K");
        assertEquals(7, d.training().epochs());
        Nsh.Config tau = DeepMethods.nsh("nsh-tau64", 16, "cnn", DIGITS, 7, 0);
        assertEquals(1f / 64, tau.loss().sortTemperature());
        assertEquals(d.loss().positives(), tau.loss().positives());
        assertEquals(d.hashLayer(), tau.hashLayer());
        assertEquals(1, DeepMethods.nsh("nsh-m1", 16, "cnn", DIGITS, 7, 0).loss().positives());
        assertFalse(DeepMethods.nsh("nsh-no-sort", 16, "cnn", DIGITS, 7, 0).loss().sort());
        assertTrue(DeepMethods.nsh("nsh-hard-sort", 16, "cnn", DIGITS, 7, 0).loss().hardSort());
        assertTrue(DeepMethods.nsh("nsh-double-softmax", 16, "cnn", DIGITS, 7, 0).loss().doubleSoftmax());
        assertEquals(DeepHashFunction.HashLayer.LINEAR, DeepMethods.nsh("nsh-no-balance", 16, "cnn", DIGITS, 7, 0).hashLayer());
    }

    @Test
    void wchAndContrastiveVariantsChangeOneSettingEach() {
        Wch.Config d = DeepMethods.wch("wch", 64, "cnn", DIGITS, 5, 0);
        assertTrue(d.straightThrough() && d.weighted() && !d.loss().symmetric());
        assertEquals(Wch.Attention.PARAMETER_FREE, d.attention());
        assertEquals(Wch.Attention.NONE, DeepMethods.wch("wch-no-attention", 64, "cnn", DIGITS, 5, 0).attention());
        assertFalse(DeepMethods.wch("wch-no-weights", 64, "cnn", DIGITS, 5, 0).weighted());
        Wch.Config plain = DeepMethods.wch("wch-plain", 64, "cnn", DIGITS, 5, 0);
        assertTrue(plain.attention() == Wch.Attention.NONE && !plain.weighted());
        assertEquals(DeepHashFunction.HashLayer.BN_NO_AFFINE, plain.hashLayer());
        assertEquals(DeepHashFunction.HashLayer.BN_NO_AFFINE, d.hashLayer());
        assertEquals(0.02f, d.similarity().temperature(), "the linear head's T_w");
        Wch.Config mlp = DeepMethods.wch("wch-mlp", 64, "cnn", DIGITS, 5, 0);
        assertEquals(DeepHashFunction.HashLayer.MLP_LN_BN, mlp.hashLayer());
        assertEquals(0.05f, mlp.similarity().temperature(), "the MLP head's T_w");
        assertEquals(d.attentionTemperature(), mlp.attentionTemperature());
        assertTrue(mlp.weighted() && mlp.attention() == Wch.Attention.PARAMETER_FREE);
        assertTrue(DeepMethods.wch("wch-symmetric", 64, "cnn", DIGITS, 5, 0).loss().symmetric());
        assertFalse(DeepMethods.contrastive("contrastive", 64, "cnn", DIGITS, 5, 0).straightThrough());
        assertTrue(DeepMethods.contrastive("contrastive-st", 64, "cnn", DIGITS, 5, 0).straightThrough());
    }

    @Test
    void unknownMethodsAreRefusedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeepMethods.create("nsh-typo", DIGITS, "cnn", 1, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("nsh-typo") && e.getMessage().contains("nsh-tau64"), e.getMessage());
    }
}
