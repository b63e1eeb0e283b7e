package org.deephash4j.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.deephash4j.codes.CodeFile;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.fetch.DataHome;
import org.deephash4j.data.fetch.EmojiData;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.classic.Lsh;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.util.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run images}: {@code deephash encode} over large folders of image files, as a whole
 * process: images per second and peak resident memory at each size, to show that memory stays bounded
 * while the folder grows.
 */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = {"Encodes folders of image files with the product command ('deephash encode', a child process) and reports",
            "images/s and peak resident memory (VmHWM) for each size, side by side in one run. The images are the emoji",
            "images (both vendors) repeated and transformed: sizes 32-256 px, rotated, flipped, on transparent or coloured",
            "backgrounds, 30 % JPEG; made once under $DEEPHASH_HOME/bench/."})
final class ImagesBench implements Callable<Integer> {

    @Option(names = "--counts", split = ",", defaultValue = "10000,100000", paramLabel = "N",
            description = "Folder sizes to encode, each a list file over the first N images (default: ${DEFAULT-VALUE}).")
    List<Integer> counts;

    @Option(names = "--shape", defaultValue = "3x64x64", paramLabel = "CxHxW", description = "Decoded shape (default: ${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--heap", defaultValue = "512m", paramLabel = "SIZE",
            description = "Maximum Java heap of the encoding process (-Xmx), to show what memory it needs (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--model", paramLabel = "FILE", description = "Model to encode with (default: 64-bit LSH fitted for the shape).")
    Path model;

    @Option(names = "--folder", paramLabel = "DIR", description = "Where the generated images live (default: $DEEPHASH_HOME/bench/emoji-images).")
    Path folder;

    @Override
    public Integer call() throws Exception {
        int largest = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path dir = folder != null ? folder : DataHome.resolve().root().resolve("bench").resolve("emoji-images");
        ensureImages(dir, largest);
        Path work = Files.createTempDirectory("deephash-images-bench");
        ImageShape s = ImageShape.parse(shape);
        Path m = model;
        if (m == null) {
            m = work.resolve("lsh.dhm");
            HashModels.save(m, new Lsh().fit(new FeatureMatrix(1, s.pixels(), new float[s.pixels()]), 64, 0), Map.of("bench", "images"));
        }
        Path launcher = Path.of(System.getProperty("deephash.bench.dir", "bench")).toAbsolutePath().getParent().resolve("deephash");
        run(List.of(launcher.toString(), "--version"), Map.of()); // builds the command if needed, outside the timings
        System.out.printf(Locale.ROOT, "%n| images | encode time | images/s | peak RSS | pixels in memory if loaded at once |%n");
        System.out.printf(Locale.ROOT, "|---|---|---|---|---|%n");
        for (int n : counts) {
            Path list = dir.resolve("list-" + n + ".txt");
            Path codes = work.resolve("codes-" + n + ".dhc");
            long t0 = System.nanoTime();
            long peak = run(List.of(launcher.toString(), "encode", "--model", m.toString(), "-d", list.toString(), "--shape", shape,
                    "-o", codes.toString()), Map.of("DEEPHASH_JAVA_OPTS", "-Xmx" + heap));
            double seconds = (System.nanoTime() - t0) / 1e9;
            int encoded = CodeFile.read(codes).size();
            if (encoded != n) {
                throw new IllegalStateException(n + " images but " + encoded + " codes");
            }
            System.out.printf(Locale.ROOT, "| %,d | %.1f s | %.0f | %.0f MB | %.1f GB (bytes + floats) |%n", n, seconds, n / seconds,
                    peak / 1e6, (double) n * s.pixels() * 5 / 1e9);
        }
        System.out.printf(Locale.ROOT, "%nWhole process (JVM start included), heap capped at %s, %d cores, shape %s.%n", heap,
                Runtime.getRuntime().availableProcessors(), s);
        return 0;
    }

    /** Runs {@code command}, its output to this process's error stream; returns its peak resident memory in bytes. */
    private static long run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        while (p.isAlive()) {
            peak = Math.max(peak, peakResidentBytes(status));
            Thread.sleep(50);
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue());
        }
        return peak;
    }

    /** VmHWM of a running process (0 once it is gone). */
    private static long peakResidentBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Makes {@code count} transformed emoji images in {@code dir} (once) and a list file for every count asked for. */
    private void ensureImages(Path dir, int count) throws IOException {
        Path done = dir.resolve("made-" + count);
        Path emoji = EmojiData.ensure(DataHome.resolve(), ProgressListener.NONE);
        List<EmojiData.Item> items = EmojiData.readItems(emoji);
        List<String> categories = items.stream().map(EmojiData.Item::category).distinct().sorted().toList();
        if (!Files.exists(done)) {
            System.err.printf(Locale.ROOT, "[bench] making %,d images from %d emoji images in %s ...%n", count, items.size(), dir);
            AtomicLong made = new AtomicLong();
            long t0 = System.nanoTime();
            IntStream.range(0, count).parallel().forEach(i -> {
                EmojiData.Item item = items.get(i % items.size());
                Path out = dir.resolve(fileName(i, item, categories));
                try {
                    if (!Files.exists(out)) {
                        Files.createDirectories(out.getParent());
                        write(transformed(ImageIO.read(emoji.resolve(item.file()).toFile()), new SplittableRandom(i)), out);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (made.incrementAndGet() % 10000 == 0) {
                    System.err.printf(Locale.ROOT, "[bench]   %,d images (%.0f s)%n", made.get(), (System.nanoTime() - t0) / 1e9);
                }
            });
            AtomicFiles.writeString(done, count + " images\n");
        }
        for (int n : counts) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                EmojiData.Item item = items.get(i % items.size());
                int c = categories.indexOf(item.category());
                b.append(fileName(i, item, categories));
                for (int k = 0; k < categories.size(); k++) {
                    b.append(k == c ? " 1" : " 0");
                }
                b.append('\n');
            }
            Files.write(dir.resolve("list-" + n + ".txt"), b.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String fileName(int i, EmojiData.Item item, List<String> categories) {
        String ext = new SplittableRandom(i).nextInt(10) < 3 ? "jpg" : "png";
        return String.format(Locale.ROOT, "c%02d/%03d/img%06d.%s", categories.indexOf(item.category()), i / 1000, i, ext);
    }

    /** The image scaled to 32-256 px, turned by a multiple of 90 degrees, perhaps mirrored, perhaps on a colour. */
    private static BufferedImage transformed(BufferedImage src, SplittableRandom r) {
        r.nextInt(10); // the draw fileName made: JPEG or PNG
        int size = 32 + r.nextInt(225);
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (r.nextBoolean()) {
            g.setColor(new Color(155 + r.nextInt(100), 155 + r.nextInt(100), 155 + r.nextInt(100)));
            g.fillRect(0, 0, size, size);
        }
        AffineTransform t = new AffineTransform();
        t.translate(size / 2.0, size / 2.0);
        t.quadrantRotate(r.nextInt(4));
        t.scale(r.nextBoolean() ? -1 : 1, 1);
        t.translate(-size / 2.0, -size / 2.0);
        t.scale((double) size / src.getWidth(), (double) size / src.getHeight());
        g.drawImage(src, t, null);
        g.dispose();
        return out;
    }

    private static void write(BufferedImage img, Path out) throws IOException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        if (out.toString().endsWith(".jpg")) {
            BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.drawImage(img, 0, 0, null);
            g.dispose();
            img = rgb;
        }
        if (!ImageIO.write(img, out.toString().endsWith(".jpg") ? "jpg" : "png", tmp.toFile())) {
            throw new IOException("no image writer for " + out);
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
