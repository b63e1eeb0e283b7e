package org.deephash4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deephash4j.data.io.IdxReaderTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void helpListsTheCommands() {
        assertEquals(0, Main.execute("--help"));
        String text = console.out();
        assertTrue(text.contains("data") && text.contains("demo") && text.contains("Exit codes"), text);
        assertEquals(0, Main.execute("data", "get", "--help"));
    }

    @Test
    void demoProtocolVariantsResolvePerDataSet() {
        assertEquals("fashion-mnist-ref", DemoCommand.protocolFor("fashion-mnist", "ref"));
        assertEquals("val:mnist-ref", DemoCommand.protocolFor("mnist", "val:ref"));
        assertEquals("val:mnist", DemoCommand.protocolFor("mnist", "val:mnist"));
        assertEquals("val:db-train:mnist-ref", DemoCommand.protocolFor("mnist", "val:db-train:ref"));
        assertEquals("mnist", DemoCommand.protocolFor("mnist", null));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, Main.execute("demo", "--colour", "red"));
        assertTrue(console.err().contains("unknown option '--colour'") && !console.err().contains("Usage:"), console.err());
    }

    @Test
    void invalidValuesAreUsageErrorsWithoutStackTraces() {
        assertEquals(2, Main.execute("demo", "--bits", "12", "--data", tmp.toString()));
        assertTrue(console.err().contains("multiple of 8"), console.err());
        assertTrue(!console.err().contains("at org.deephash4j"), "no stack trace without --verbose");
        assertEquals(2, Main.execute("data", "get", "cifar-10"));
        assertTrue(console.err().contains("unknown data set 'cifar-10'"), console.err());
    }

    @Test
    void malformedInputExitsWithThreeAndNamesTheFile() throws IOException {
        IdxReaderTestSupport.writeMnistFolder(tmp, 20, 10);
        Files.write(tmp.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0});
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("data", "info", tmp.toString()));
        assertTrue(console.err().contains("train-labels-idx1-ubyte") && console.err().contains("truncated"), console.err());
    }

    @Test
    void demoRunsEndToEndOnALocalFolderAndWritesItsResults() throws IOException {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        Path outDir = tmp.resolve("out");
        int code = Main.execute("demo", "--data", data.toString(), "--protocol", "custom:query=3,train=5,seed=1", "--bits", "8,16",
                "--methods", "lsh,itq", "--output", outDir.toString());
        assertEquals(0, code, console.err());
        String table = Files.readString(outDir.resolve("results.md"));
        assertTrue(table.contains("| lsh | 8 |") && table.contains("| lsh | 16 |") && table.contains("| itq | 16 |"), table);
        JsonNode json = new ObjectMapper().readTree(outDir.resolve("results.json").toFile());
        assertEquals(4, json.get("results").size());
        assertTrue(Files.exists(outDir.resolve("codes/itq-16.dhc")) && Files.exists(outDir.resolve("report/report.json")));
        JsonNode mapAll = json.get("results").get(1).get("metrics").get("map").get(1);
        assertEquals("all", mapAll.get("k").asText());
        double map = mapAll.get("map").asDouble();
        assertTrue(map > 0 && map <= 1, "mAP " + map);
        assertEquals("custom:query=3,train=5,seed=1", json.get("results").get(0).get("protocol").asText());
        assertEquals(30, Files.readAllLines(outDir.resolve("split/query.txt")).size());
        assertEquals(50, Files.readAllLines(outDir.resolve("split/train.txt")).size());
        assertEquals(270, Files.readAllLines(outDir.resolve("split/database.txt")).size());
        assertTrue(console.err().contains("[demo] protocol"), "the demo says what it is doing");
    }

    @Test
    void evalOfCodeFilesWithNpyLabelsAndCompareOfTwoReports() throws IOException {
        java.util.Random r = new java.util.Random(4);
        byte[] q = new byte[30 * 4];
        byte[] d = new byte[300 * 4];
        r.nextBytes(q);
        r.nextBytes(d);
        Path qc = tmp.resolve("q.dhc");
        Path dc = tmp.resolve("d.npy");
        org.deephash4j.codes.CodeFile.write(qc, org.deephash4j.codes.BinaryCodes.fromPackedBytes(q, 32,
                org.deephash4j.codes.BitOrder.BIG, null));
        org.deephash4j.codes.CodesNpy.writePacked(dc, org.deephash4j.codes.BinaryCodes.fromPackedBytes(d, 32,
                org.deephash4j.codes.BitOrder.BIG, null), org.deephash4j.codes.BitOrder.BIG);
        long[] ql = new long[30];
        long[] dl = new long[300];
        java.util.Arrays.setAll(ql, i -> i % 3);
        java.util.Arrays.setAll(dl, i -> i % 3);
        Path qlf = tmp.resolve("ql.npy");
        Path dlf = tmp.resolve("dl.npy");
        org.deephash4j.io.Npy.write(qlf, org.deephash4j.io.NpyArray.ofLongs(ql, 30));
        org.deephash4j.io.Npy.write(dlf, org.deephash4j.io.NpyArray.ofLongs(dl, 300));
        Path r1 = tmp.resolve("r1");
        assertEquals(0, Main.execute("eval", "--query-codes", qc.toString(), "--database-codes", dc.toString(), "--query-labels",
                qlf.toString(), "--database-labels", dlf.toString(), "-k", "10,all", "--zero-relevant", "drop", "--name", "first",
                "-o", r1.toString()), console.err());
        JsonNode json = new ObjectMapper().readTree(r1.resolve("report.json").toFile());
        assertEquals("DROP_QUERY", json.get("runs").get(0).get("config").get("zero_relevant").asText());
        assertTrue(Files.exists(r1.resolve("pr_curve.png")));
        Path r2 = tmp.resolve("r2");
        assertEquals(0, Main.execute("eval", "--query-codes", qc.toString(), "--database-codes", dc.toString(), "--query-labels",
                qlf.toString(), "--database-labels", dlf.toString(), "--no-plots", "-o", r2.toString()), console.err());
        assertTrue(Files.exists(r2.resolve("report.json")) && !Files.exists(r2.resolve("pr_curve.png")), "--no-plots draws none");
        Path merged = tmp.resolve("merged");
        assertEquals(0, Main.execute("compare", r1.toString(), r2.resolve("report.json").toString(), "-o", merged.toString()));
        String md = Files.readString(merged.resolve("report.md"));
        assertTrue(md.contains("| first | 32 |") && md.contains("| d.npy | 32 |"), md);
        assertEquals(2, Main.execute("eval", "--query-codes", qc.toString(), "--database-codes", dc.toString(), "--query-labels",
                qlf.toString(), "--database-labels", dlf.toString(), "-k", "ten", "-o", r2.toString()));
        assertTrue(console.err().contains("'ten' is neither a positive integer nor 'all'"), console.err());
    }

    @Test
    void fitEncodeAndEvalWithAModelOnALocalFolder() throws IOException {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        Path model = tmp.resolve("itq.dhm");
        String protocol = "custom:query=3,train=5,seed=1";
        assertEquals(0, Main.execute("fit", "-m", "itq", "-b", "8", "-d", data.toString(), "-p", protocol, "-o", model.toString()),
                console.err());
        assertTrue(console.err().contains("on 50 training items"), console.err());
        Path codes = tmp.resolve("codes.dhc");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", data.toString(), "-o", codes.toString()), console.err());
        org.deephash4j.codes.BinaryCodes c = org.deephash4j.codes.CodeFile.read(codes);
        assertEquals(300, c.size());
        assertEquals(8, c.bits());
        Path viaCodes = tmp.resolve("r1");
        Path viaModel = tmp.resolve("r2");
        assertEquals(0, Main.execute("eval", "--codes", codes.toString(), "-d", data.toString(), "-p", protocol, "-o",
                viaCodes.toString()), console.err());
        assertEquals(0, Main.execute("eval", "--model", model.toString(), "-d", data.toString(), "-p", protocol, "-o",
                viaModel.toString()), console.err());
        JsonNode a = new ObjectMapper().readTree(viaCodes.resolve("report.json").toFile()).get("runs").get(0).get("figures");
        JsonNode b = new ObjectMapper().readTree(viaModel.resolve("report.json").toFile()).get("runs").get(0).get("figures");
        assertEquals(a.get("map"), b.get("map"), "a model and its saved codes evaluate identically");
        assertEquals(2, Main.execute("fit", "-m", "foo", "-b", "8", "-d", data.toString(), "-o", model.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("encode", "--model", codes.toString(), "-d", data.toString(), "-o",
                tmp.resolve("x.dhc").toString()));
        assertTrue(console.err().contains("not a deephash4j model file"), console.err());
    }

    @Test
    void indexBuildInfoAndSearchToCsvAndJson() throws IOException {
        java.util.Random r = new java.util.Random(9);
        long[] w = new long[500];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextLong();
        }
        Path codes = tmp.resolve("c.dhc");
        org.deephash4j.codes.CodeFile.write(codes, org.deephash4j.codes.BinaryCodes.of(64, w, null));
        Path index = tmp.resolve("i.dhi");
        assertEquals(0, Main.execute("index", "build", "--codes", codes.toString(), "--type", "mih", "-o", index.toString()), console.err());
        assertEquals(0, Main.execute("index", "info", index.toString()));
        assertTrue(console.out().contains("type:  mih"), console.out());
        Path csv = tmp.resolve("r.csv");
        assertEquals(0, Main.execute("search", "--index", index.toString(), "--queries", codes.toString(), "-k", "3", "-o",
                csv.toString()), console.err());
        java.util.List<String> lines = Files.readAllLines(csv);
        assertEquals("query_id,rank,id,distance", lines.get(0));
        assertEquals("7,1,7,0", lines.get(1 + 7 * 3), "each code is its own nearest neighbour");
        assertEquals(1 + 500 * 3, lines.size());
        Path json = tmp.resolve("r.json");
        assertEquals(0, Main.execute("search", "--index", index.toString(), "--queries", codes.toString(), "--radius", "0", "-o",
                json.toString()), console.err());
        JsonNode results = new ObjectMapper().readTree(json.toFile()).get("results");
        assertEquals(500, results.size());
        assertEquals(42, results.get(42).get("neighbours").get(0).get("id").asInt());
        assertEquals(2, Main.execute("search", "--index", index.toString(), "--queries", codes.toString(), "-o",
                tmp.resolve("r.txt").toString()));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("search", "--index", codes.toString(), "--queries", codes.toString(), "-o",
                csv.toString()));
    }

    @Test
    void fitOrthoHashThenEncodeWithTheSavedDeepModel() throws IOException {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        Path model = tmp.resolve("oh.dhm");
        assertEquals(0, Main.execute("fit", "-m", "orthohash", "-b", "16", "-d", data.toString(), "-p",
                "custom:query=3,train=10,seed=1", "--epochs", "2", "--batch-size", "20", "-o", model.toString()), console.err());
        assertTrue(console.err().contains("epoch 2: loss") && console.err().contains("(last epoch)"), console.err());
        assertTrue(!Files.exists(tmp.resolve("oh.dhm.ckpt")), "the checkpoint is removed after a finished run");
        assertEquals("running averages of the last training batches",
                org.deephash4j.hash.HashModels.read(model).config().get("bn_statistics"), "orthohash trains on un-augmented images");
        Path codes = tmp.resolve("oh.dhc");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", data.toString(), "-o", codes.toString()), console.err());
        assertEquals(300, org.deephash4j.codes.CodeFile.read(codes).size());
        assertEquals(2, Main.execute("fit", "-m", "orthohash", "-b", "16", "-d", data.toString(), "-p",
                "custom:query=3,train=10,seed=1", "--resume", "-o", tmp.resolve("other.dhm").toString()));
        assertTrue(console.err().contains("--resume: no checkpoint"), console.err());
    }

    @Test
    void fitNshReportsBitBalanceAndSavesAModelThatEncodes() throws IOException {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        Path model = tmp.resolve("nsh.dhm");
        assertEquals(0, Main.execute("fit", "-m", "nsh", "-b", "16", "-d", data.toString(), "-p", "custom:query=3,train=10,seed=1",
                "--epochs", "2", "--batch-size", "16", "--positives", "1", "--tau-sort", "0.1", "-o", model.toString()), console.err());
        assertTrue(console.err().contains("augmentation: resized crop"), "one-channel images get the digits views: " + console.err());
        assertTrue(console.err().matches("(?s).*epoch 2: loss [0-9.]+, mAP@1000 [0-9.]+, mAP@all [0-9.]+, bit imbalance [0-9.]+ \\(tie-aware mAP@1000 [0-9.]+\\) \\(last epoch\\).*"),
                console.err());
        org.deephash4j.hash.ModelContents c = org.deephash4j.hash.HashModels.read(model);
        assertEquals("nsh", c.method());
        assertEquals(1, ((Number) c.config().get("positives")).intValue());
        assertEquals(0.1, ((Number) c.config().get("tau_sort")).doubleValue(), 1e-6);
        assertEquals("bn-no-affine", c.config().get("hash_layer"));
        assertEquals("re-estimated on 100 un-augmented images", c.config().get("bn_statistics"), "the unsupervised methods' default");
        Path kept = tmp.resolve("kept.dhm");
        assertEquals(0, Main.execute("fit", "-m", "nsh", "-b", "16", "-d", data.toString(), "-p", "custom:query=3,train=10,seed=1",
                "--epochs", "1", "--batch-size", "16", "--no-recalibrate-bn", "-o", kept.toString()), console.err());
        assertEquals("running averages of the last training batches",
                org.deephash4j.hash.HashModels.read(kept).config().get("bn_statistics"));
        Path codes = tmp.resolve("nsh.dhc");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", data.toString(), "-o", codes.toString()), console.err());
        assertEquals(300, org.deephash4j.codes.CodeFile.read(codes).size());
        assertEquals(2, Main.execute("fit", "-m", "contrastive", "-b", "16", "-d", data.toString(), "--augment", "none",
                "-o", tmp.resolve("c.dhm").toString()));
        assertTrue(console.err().contains("nothing to learn"), console.err());
        assertTrue(!Files.exists(tmp.resolve("c.dhm")));
    }

    @Test
    void fitWchDefaultsToTheLinearHeadAndEachHeadGetsItsOwnWeightTemperature() throws IOException {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        String[] common = {"fit", "-m", "wch", "-b", "16", "-d", data.toString(), "-p", "custom:query=3,train=10,seed=1", "--epochs", "1",
            "--batch-size", "16"};
        Path linear = tmp.resolve("linear.dhm");
        assertEquals(0, Main.execute(concat(common, "-o", linear.toString())), console.err());
        org.deephash4j.hash.ModelContents c = org.deephash4j.hash.HashModels.read(linear);
        assertEquals("bn-no-affine", c.config().get("hash_layer"));
        assertEquals(0.02, ((Number) c.config().get("weight_temperature")).doubleValue(), 1e-6);
        Path mlp = tmp.resolve("mlp.dhm");
        assertEquals(0, Main.execute(concat(common, "--head", "mlp", "-o", mlp.toString())), console.err());
        c = org.deephash4j.hash.HashModels.read(mlp);
        assertEquals("mlp-ln-bn", c.config().get("hash_layer"));
        assertEquals(0.05, ((Number) c.config().get("weight_temperature")).doubleValue(), 1e-6);
        Path chosen = tmp.resolve("chosen.dhm");
        assertEquals(0, Main.execute(concat(common, "--head", "mlp", "--weight-temperature", "0.1", "-o", chosen.toString())), console.err());
        assertEquals(0.1, ((Number) org.deephash4j.hash.HashModels.read(chosen).config().get("weight_temperature")).doubleValue(), 1e-6);
        assertEquals(2, Main.execute(concat(common, "--head", "transformer", "-o", tmp.resolve("x.dhm").toString())));
        assertTrue(console.err().contains("--head transformer: head must be linear or mlp, got 'transformer'"), console.err());
    }

    /**
     * Every deep setting the command line offers, given a value other than the method's default, reaches
     * the configuration that trains (as {@code --show-config} prints it), for every method that has it.
     */
    @Test
    void everyDeepOptionReachesTheConfigurationThatTrains() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("tiny"));
        IdxReaderTestSupport.writeMnistFolder(data, 20, 10);
        ObjectMapper json = new ObjectMapper();
        int checked = 0;
        for (org.deephash4j.hash.deep.DeepMethod<?> m : org.deephash4j.hash.deep.DeepMethods.all()) {
            String[] base = {"fit", "-m", m.name(), "-b", "32", "-d", data.toString(), "--show-config", "-o", "x.dhm"};
            JsonNode defaults = showConfig(json, base);
            checked += checkOptions(json, org.deephash4j.hash.deep.DeepMethods.recipe(m.name(), 32, "cnn",
                    new org.deephash4j.data.ImageShape(1, 28, 28), 0), base, defaults);
        }
        assertTrue(checked > 40, checked + " options checked");
    }

    private <C extends org.deephash4j.hash.deep.DeepConfig> int checkOptions(ObjectMapper json, org.deephash4j.hash.deep.DeepRecipe<C> recipe,
            String[] base, JsonNode defaults) throws IOException {
        int checked = 0;
        for (org.deephash4j.hash.deep.Setting<C> setting : recipe.settings()) {
            String[] option = otherValue(setting.name(), setting.valueLabel(), setting.show(recipe.config()));
            JsonNode changed = showConfig(json, concat(base, option));
            org.junit.jupiter.api.Assertions.assertNotEquals(defaults, changed, recipe.name() + " " + String.join(" ", option));
            checked++;
        }
        return checked;
    }

    private JsonNode showConfig(ObjectMapper json, String[] args) throws IOException {
        console.reset();
        assertEquals(0, Main.execute(args), String.join(" ", args) + ": " + console.err());
        return json.readTree(console.out());
    }

    /** The command-line words that set option {@code name} to a value other than {@code current}. */
    private static String[] otherValue(String name, String valueLabel, String current) {
        if (valueLabel == null) {
            return new String[] {Boolean.parseBoolean(current) ? "--no-" + name : "--" + name};
        }
        if (valueLabel.contains("|")) {
            for (String option : valueLabel.split("\\|")) {
                if (!option.equals(option.toUpperCase(java.util.Locale.ROOT)) && !option.equals(current)) {
                    return new String[] {"--" + name, option};
                }
            }
        }
        return new String[] {"--" + name, current.contains(".") ? String.valueOf(Double.parseDouble(current) * 0.5 + 0.25)
                : String.valueOf(Integer.parseInt(current) + 1)};
    }

    @Test
    void everyNameTheDemoAcceptsFitAcceptsAndTheMethodsCommandListsThem() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("tiny"));
        IdxReaderTestSupport.writeMnistFolder(data, 20, 10);
        for (String name : org.deephash4j.hash.deep.DeepMethods.names()) {
            assertEquals(0, Main.execute("fit", "-m", name, "-b", "16", "-d", data.toString(), "--show-config", "-o", "x.dhm"),
                    name + ": " + console.err());
        }
        assertEquals(2, Main.execute("fit", "-m", "orthohash", "-b", "16", "-d", data.toString(), "--tau-sort", "0.1", "--show-config",
                "-o", "x.dhm"));
        assertTrue(console.err().contains("--tau-sort is not a setting of orthohash"), console.err());
        assertEquals(2, Main.execute("fit", "-m", "lsh", "-b", "16", "-d", data.toString(), "--bitz", "3", "-o", "x.dhm"));
        assertTrue(console.err().contains("unknown option '--bitz'") && console.err().contains("did you mean --bits?"), console.err());
    }

    @Test
    void encodeTakesOnePartOfTheSplitAndNpyCodesKeepTheirIds() throws IOException {
        Path data = IdxReaderTestSupport.tinyMnistFolder(tmp);
        Path model = tmp.resolve("lsh.dhm");
        String protocol = "custom:query=3,train=10,seed=1";
        assertEquals(0, Main.execute("fit", "-m", "lsh", "-b", "16", "-d", data.toString(), "-p", protocol, "-o", model.toString()),
                console.err());
        Path all = tmp.resolve("all.dhc");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", data.toString(), "-o", all.toString()), console.err());
        Path queries = tmp.resolve("q.npy");
        assertEquals(0, Main.execute("encode", "--model", model.toString(), "-d", data.toString(), "-p", protocol, "--subset", "query",
                "-o", queries.toString()), console.err());
        org.deephash4j.codes.BinaryCodes q = org.deephash4j.codes.CodeFiles.read(queries, org.deephash4j.codes.BitOrder.BIG);
        assertEquals(30, q.size(), "3 queries per class");
        assertTrue(Files.isRegularFile(tmp.resolve("q.ids.npy")), "the ids beside the .npy codes");
        org.deephash4j.codes.BinaryCodes everything = org.deephash4j.codes.CodeFile.read(all);
        for (int i = 0; i < q.size(); i++) {
            int position = (int) q.ids()[i];
            assertTrue(position >= 200, "queries come from the test items: " + position);
            assertEquals(everything.distance(position, q, i) , 0, "query " + i + " keeps its data set position as id");
        }
        assertEquals(2, Main.execute("encode", "--model", model.toString(), "-d", data.toString(), "--subset", "train",
                "-o", tmp.resolve("t.dhc").toString()));
        assertEquals(2, Main.execute("encode", "--model", model.toString(), "-d", data.toString(), "--subset", "half", "-o",
                tmp.resolve("t.dhc").toString()));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
