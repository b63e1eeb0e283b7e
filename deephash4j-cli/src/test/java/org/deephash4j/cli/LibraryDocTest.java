package org.deephash4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The program of docs/library.md compiles against the library and runs: the page cannot rot. */
class LibraryDocTest {

    @TempDir
    Path tmp;

    @Test
    void theLibraryPagesProgramCompilesAndRuns() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "library.md"));
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertTrue(block.find(), "docs/library.md has a java block");
        Path source = tmp.resolve("LibraryExample.java");
        Files.writeString(source, block.group(1));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-classpath", System.getProperty("java.class.path"), "-d", tmp.toString(),
                source.toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> program = loader.loadClass("LibraryExample");
            program.getMethod("main", String[].class).invoke(null, (Object) new String[] {tmp.toString()});
        } finally {
            System.setOut(saved);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("nearest to item 0: 0 at distance 0", lines.get(0));
        double map = Double.parseDouble(lines.get(1).replace("mAP@100 ", ""));
        assertTrue(map > 0.9, "four well separated classes: " + lines.get(1));
    }
}
