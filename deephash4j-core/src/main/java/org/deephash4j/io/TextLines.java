package org.deephash4j.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a UTF-8 text file line by line with a bound on the length of a line, so that a file without
 * line breaks (or a binary file given by mistake) is refused by name instead of read into one string.
 * Malformed UTF-8 is refused too.
 */
public final class TextLines {

    /** Receives each line with its number (from 1). */
    @FunctionalInterface
    public interface LineHandler {
        void line(int number, String text) throws IOException;
    }

    private TextLines() {
    }

    /** Calls {@code handler} for every line of {@code file}; a line longer than {@code maxChars} is refused. */
    public static void read(Path file, int maxChars, LineHandler handler) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader in = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
            StringBuilder line = new StringBuilder();
            int number = 1;
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    handler.line(number++, stripCr(line));
                    line.setLength(0);
                } else if (line.length() >= maxChars) {
                    throw new MalformedFileException(file, "line " + number + " is longer than " + maxChars + " characters");
                } else {
                    line.append((char) c);
                }
            }
            if (!line.isEmpty()) {
                handler.line(number, stripCr(line));
            }
        } catch (CharacterCodingException e) {
            throw new MalformedFileException(file, "not UTF-8 text (" + e.getMessage() + ")", e);
        }
    }

    private static String stripCr(StringBuilder line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }
}
