package org.deephash4j.cli;

import java.util.concurrent.Callable;
import org.deephash4j.hash.classic.ClassicMethods;
import org.deephash4j.hash.deep.DeepMethod;
import org.deephash4j.hash.deep.DeepMethods;
import picocli.CommandLine.Command;

/** {@code deephash methods}: every method name {@code fit} and {@code demo} accept, with the deep methods' variants. */
@Command(name = "methods", mixinStandardHelpOptions = true,
        description = "List the hash methods and the deep methods' named variants (every name fit -m and demo -m accept).")
final class MethodsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("classic (fitted on features, no training loop):");
        for (String name : ClassicMethods.names()) {
            System.out.println("  " + name);
        }
        System.out.println("deep (trained; settings: deephash fit --help):");
        for (DeepMethod<?> m : DeepMethods.all()) {
            System.out.printf("  %-20s %s%n", m.name(), m.summary());
            for (DeepMethod.Variant<?> v : m.variants()) {
                System.out.printf("    %-18s %s%n", v.name(), v.description());
            }
        }
        return 0;
    }
}
