package org.deephash4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Copies of records with one component changed, by path, from values or text. */
class RecordsTest {

    enum Kind { PLAIN, EXTRA_FANCY }

    record Inner(float temperature, boolean sharp) {
    }

    record Outer(int count, Kind kind, Inner inner, String name) {
        Outer {
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + count);
            }
        }
    }

    private static final Outer BASE = new Outer(3, Kind.PLAIN, new Inner(0.5f, false), "a");

    @Test
    void changesOneComponentAndKeepsTheOthers() {
        Outer o = Records.with(BASE, "count", "7");
        assertEquals(new Outer(7, Kind.PLAIN, new Inner(0.5f, false), "a"), o);
        assertEquals(new Inner(0.25f, false), Records.with(BASE, "inner.temperature", 0.25f).inner());
        assertEquals(true, Records.with(BASE, "inner.sharp", "true").inner().sharp());
        assertEquals(Kind.EXTRA_FANCY, Records.with(BASE, "kind", "extra-fancy").kind());
        assertEquals("b", Records.with(BASE, "name", "b").name());
        assertEquals(0.5f, Records.get(BASE, "inner.temperature"));
        assertEquals(BASE, new Outer(3, Kind.PLAIN, new Inner(0.5f, false), "a"), "the original is unchanged");
    }

    @Test
    void refusesUnknownComponentsBadTextAndWhatTheConstructorRefuses() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.with(BASE, "size", "1")).getMessage().contains("no component"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.with(BASE, "count", "x")).getMessage().contains("not a finite"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.with(BASE, "inner.temperature", "NaN")).getMessage()
                .contains("not a finite"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.with(BASE, "kind", "odd")).getMessage()
                .contains("plain, extra-fancy"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.with(BASE, "inner.sharp", "yes")).getMessage()
                .contains("true or false"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.with(BASE, "count", "-1")).getMessage()
                .contains("count must be >= 0"));
    }
}
