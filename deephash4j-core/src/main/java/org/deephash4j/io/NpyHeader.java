package org.deephash4j.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header of a {@code .npy} file: the Python dictionary literal NumPy writes, such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}, parsed as a literal (strings in
 * either quote, {@code True}/{@code False}, integers, tuples) rather than searched with patterns. As
 * NumPy does, it requires exactly the keys {@code descr}, {@code fortran_order} and {@code shape}, a
 * boolean order and a tuple of integers; it also refuses a key given twice, which Python would let
 * the last one win silently.
 *
 * @param descr the type string, e.g. {@code <f4}
 * @param fortranOrder whether the data is in column-major order
 * @param shape the dimensions
 */
record NpyHeader(String descr, boolean fortranOrder, int[] shape) {

    /** NumPy's own bound on the header length (its {@code max_header_size}). */
    static final int MAX_LENGTH = 10_000;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    NpyHeader {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Parses {@code text}, refusing with the file's name anything NumPy would refuse (and duplicate keys). */
    static NpyHeader parse(Path file, String text) throws MalformedFileException {
        Parser p = new Parser(file, text);
        Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the dictionary");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedFileException(file, "malformed .npy header: not a dictionary: " + text.strip());
        }
        if (!map.keySet().equals(KEYS)) {
            throw new MalformedFileException(file, "malformed .npy header: keys " + map.keySet()
                    + ", expected exactly descr, fortran_order and shape");
        }
        if (!(map.get("descr") instanceof String descr)) {
            throw new MalformedFileException(file, "unsupported .npy element type " + map.get("descr")
                    + " (structured types are not supported)");
        }
        if (!(map.get("fortran_order") instanceof Boolean fortran)) {
            throw new MalformedFileException(file, "malformed .npy header: fortran_order is not True or False");
        }
        if (!(map.get("shape") instanceof List<?> dims)) {
            throw new MalformedFileException(file, "malformed .npy header: shape is not a tuple");
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d)) {
                throw new MalformedFileException(file, "malformed .npy header: dimension " + dims.get(i) + " is not an integer");
            }
            shape[i] = Sizes.count(file, ".npy dimension", d, Integer.MAX_VALUE);
        }
        return new NpyHeader(descr, fortran, shape);
    }

    @Override
    public String toString() {
        return "{descr " + descr + ", fortran_order " + fortranOrder + ", shape " + Arrays.toString(shape) + "}";
    }

    /** A recursive-descent reader of the Python literals a header may hold. */
    private static final class Parser {
        private final Path file;
        private final String text;
        private int pos;
        private int depth;

        Parser(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        MalformedFileException error(String problem) {
            return new MalformedFileException(file, "malformed .npy header (" + problem + " at character " + pos + "): "
                    + text.strip());
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Object value() throws MalformedFileException {
            skipSpace();
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            if (++depth > 8) {
                throw error("nested too deeply");
            }
            char c = text.charAt(pos);
            Object v;
            if (c == '{') {
                v = dict();
            } else if (c == '(') {
                v = tuple();
            } else if (c == '[') {
                v = sequence(']').items().toArray();
            } else if (c == '\'' || c == '"') {
                v = string();
            } else if (text.startsWith("True", pos) || text.startsWith("False", pos)) {
                boolean t = text.startsWith("True", pos);
                pos += t ? 4 : 5;
                v = t;
            } else if (c == '-' || c == '+' || Character.isDigit(c)) {
                v = integer();
            } else {
                throw error("unexpected '" + c + "'");
            }
            depth--;
            return v;
        }

        private Map<String, Object> dict() throws MalformedFileException {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            while (true) {
                skipSpace();
                if (at('}')) {
                    pos++;
                    return map;
                }
                Object key = value();
                if (!(key instanceof String k)) {
                    throw error("a key that is not a string");
                }
                skipSpace();
                expect(':');
                Object v = value();
                if (map.put(k, v) != null) {
                    throw new MalformedFileException(file, "malformed .npy header: key '" + k + "' appears twice");
                }
                if (!comma() && !at('}')) {
                    throw error("expected ',' or '}'");
                }
            }
        }

        /** A tuple as a {@code List}; as in Python, one item in parentheses without a comma is that item. */
        private Object tuple() throws MalformedFileException {
            Items s = sequence(')');
            return s.items().size() == 1 && !s.trailingComma() ? s.items().get(0) : s.items();
        }

        private record Items(List<Object> items, boolean trailingComma) {
        }

        private Items sequence(char close) throws MalformedFileException {
            List<Object> items = new ArrayList<>();
            boolean comma = false;
            pos++;
            while (true) {
                skipSpace();
                if (at(close)) {
                    pos++;
                    return new Items(items, comma);
                }
                items.add(value());
                comma = comma();
                if (!comma && !at(close)) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        /** Skips space and a comma after an item; whether there was one. */
        private boolean comma() {
            skipSpace();
            if (at(',')) {
                pos++;
                return true;
            }
            return false;
        }

        private boolean at(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) throws MalformedFileException {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() throws MalformedFileException {
            char quote = text.charAt(pos++);
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\\') {
                    throw error("escape sequences are not supported in header strings");
                }
                if (c == '\n') {
                    throw error("line break inside a string");
                }
                out.append(c);
            }
            throw error("unterminated string");
        }

        private Long integer() throws MalformedFileException {
            int start = pos;
            if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (pos < text.length() && text.charAt(pos) == 'L') {
                pos++;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("integer out of range: " + digits);
            }
        }
    }
}
