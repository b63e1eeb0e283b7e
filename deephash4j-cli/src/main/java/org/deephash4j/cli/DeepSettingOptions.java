package org.deephash4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.data.ImageShape;
import org.deephash4j.hash.deep.DeepConfig;
import org.deephash4j.hash.deep.DeepMethod;
import org.deephash4j.hash.deep.DeepMethods;
import org.deephash4j.hash.deep.DeepRecipe;
import org.deephash4j.hash.deep.Setting;
import org.deephash4j.hash.deep.Training;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command-line options of the registered deep methods' settings ({@code --epochs}, {@code --tau-sort},
 * ...), made from the registry: one option per setting name, its help text saying which methods have
 * it and their defaults, read from the methods' own defaults. A method registered in the library gets
 * its options here without a line of command-line code.
 */
final class DeepSettingOptions {

    /** The shapes whose defaults the help shows: the defaults of some settings (augmentation) depend on the images. */
    private static final ImageShape GREY = new ImageShape(1, 28, 28);
    private static final ImageShape COLOUR = new ImageShape(3, 32, 32);

    /** Code length of the defaults the help shows. */
    private static final int HELP_BITS = 64;

    private DeepSettingOptions() {
    }

    /** Adds an option for every deep setting to {@code spec}. */
    static void addTo(CommandSpec spec) {
        Map<String, Help> help = new LinkedHashMap<>();
        for (DeepMethod<?> m : DeepMethods.all()) {
            collect(m, help);
        }
        for (Help h : help.values()) {
            OptionSpec.Builder b = OptionSpec.builder("--" + h.setting.name()).description(h.text().replace("%", "%%"));
            if (h.setting.valueLabel() == null) {
                b.type(Boolean.class).arity("0").negatable(true);
            } else {
                b.type(String.class).paramLabel(h.setting.valueLabel());
            }
            spec.addOption(b.build());
        }
    }

    /** What the help says of one option: each method's description of the setting and its default. */
    private static final class Help {
        final Setting<?> setting;
        final boolean shared;
        final Map<String, List<String>> methodsByText = new LinkedHashMap<>();

        Help(Setting<?> setting, boolean shared) {
            this.setting = setting;
            this.shared = shared;
        }

        void add(String method, String description, String defaultValue) {
            String text = shared ? defaultValue : description + " Default: " + defaultValue + ".";
            methodsByText.computeIfAbsent(text, k -> new ArrayList<>()).add(method);
        }

        String text() {
            List<String> parts = new ArrayList<>();
            if (shared) {
                methodsByText.forEach((value, methods) -> parts.add(value + (methodsByText.size() > 1 ? " for " + String.join(", ",
                        methods) : "")));
                return setting.description() + " Default: " + String.join("; ", parts) + ".";
            }
            methodsByText.forEach((text, methods) -> parts.add(String.join(", ", methods) + ": " + text));
            return String.join(" ", parts);
        }
    }

    private static <C extends DeepConfig> void collect(DeepMethod<C> m, Map<String, Help> help) {
        C grey = m.defaults(HELP_BITS, "cnn", GREY, 0);
        C colour = m.defaults(HELP_BITS, "cnn", COLOUR, 0);
        java.util.Set<String> training = new java.util.HashSet<>();
        Training.SETTINGS.forEach(s -> training.add(s.name()));
        for (Setting<C> s : DeepRecipe.of(m, grey).settings()) {
            String g = s.show(grey);
            String c = s.show(colour);
            String value = g.equals(c) ? g : g + " for one-channel images, " + c + " for colour ones";
            help.computeIfAbsent(s.name(), k -> new Help(s, training.contains(s.name()))).add(m.name(), s.description(), value);
        }
    }

    /** The deep settings given on the command line, by name (a flag as {@code true} or {@code false}). */
    static Map<String, String> given(ParseResult parsed) {
        java.util.Set<String> settings = new java.util.HashSet<>();
        for (DeepMethod<?> m : DeepMethods.all()) {
            settings.addAll(settingNames(m));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            String name = o.longestName().substring(2);
            if (settings.contains(name)) {
                values.put(name, String.valueOf(o.<Object>getValue()));
            }
        }
        return values;
    }

    private static <C extends DeepConfig> List<String> settingNames(DeepMethod<C> m) {
        return DeepRecipe.of(m, m.defaults(HELP_BITS, "cnn", GREY, 0)).settings().stream().map(Setting::name).toList();
    }
}
