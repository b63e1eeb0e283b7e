package org.deephash4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.deephash4j.eval.EvalReport;
import org.deephash4j.eval.ReportRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deephash compare}: put the runs of several reports into one table and one set of plots. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Merge evaluation reports (report.json files or report folders) into one table and one set of plots.")
final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "REPORT", description = "report.json files, or folders holding one.")
    List<Path> reports;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Folder for the merged report.")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<ReportRun> runs = new ArrayList<>();
        for (Path p : reports) {
            runs.addAll(EvalReport.read(Files.isDirectory(p) ? p.resolve(EvalReport.JSON) : p));
        }
        EvalReport.write(output, runs);
        System.out.print(EvalReport.markdown(runs));
        System.err.println("[compare] " + runs.size() + " runs; report in " + output.toAbsolutePath());
        return 0;
    }
}
