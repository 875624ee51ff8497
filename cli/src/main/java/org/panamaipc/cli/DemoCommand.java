package org.panamaipc.cli;

import org.panamaipc.demos.Demo;
import org.panamaipc.demos.Demos;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ipc demo [NAME]}: runs a demo from {@code org.panamaipc.demos} between this JVM and a
 * second one that it starts. The other JVM shares the terminal, so the lines of both sides appear
 * as they happen; with {@code --child-log FILE}, or when the system property
 * {@value #TEST_OUTPUT_PROPERTY} names a directory (as under the build's tests, whose streams a
 * child must not share), its output goes to a file and is shown when it has ended.
 */
@Command(name = "demo",
        description = {
                "Runs a demo between two JVMs on this machine. Start here.",
                "Without NAME it runs `" + Demos.DEFAULT + "`: a producer JVM and a consumer JVM share a ring "
                        + "channel. `ipc demo --list` shows the others."},
        mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {

    /** The system property, set by the build for tests, that names a directory for child output. */
    public static final String TEST_OUTPUT_PROPERTY = "panama.ipc.test.output";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", defaultValue = Demos.DEFAULT,
            completionCandidates = DemoNames.class,
            description = "which demo to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private String name;

    @Option(names = "--list", description = "list the demos and what each shows")
    private boolean list;

    @Option(names = "--child-log", paramLabel = "FILE",
            description = "write the other JVM's output to FILE, shown when it has ended, instead of sharing this terminal")
    private Path childLog;

    /** Created by picocli. */
    public DemoCommand() {
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            int width = Demos.all().stream().mapToInt(d -> d.name().length()).max().orElse(0);
            for (Demo demo : Demos.all()) {
                out.printf("  %-" + width + "s  %s%s%n", demo.name(), demo.summary(),
                        demo.aliases().isEmpty() ? "" : " (also: " + String.join(", ", demo.aliases()) + ")");
            }
            out.println();
            out.println("Run one with `ipc demo NAME`; each is a tutorial in demos/src/main/java/org/panamaipc/demos/.");
            out.flush();
            return 0;
        }
        Demo demo = Demos.find(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "no demo is called '" + name + "'; the demos are: " + String.join(", ", new DemoNames())));
        Path temporaryLog = null;
        Redirect childOutput = Redirect.INHERIT;
        if (childLog != null) {
            childOutput = Redirect.to(childLog.toFile());
        } else {
            Optional<Path> testDirectory = Optional.ofNullable(System.getProperty(TEST_OUTPUT_PROPERTY)).map(Path::of);
            if (testDirectory.isPresent()) {
                Files.createDirectories(testDirectory.get());
                temporaryLog = Files.createTempFile(testDirectory.get(), "demo-" + demo.name() + "-", ".log");
                childOutput = Redirect.to(temporaryLog.toFile());
            }
        }
        try {
            return demo.run(out, childOutput);
        } finally {
            if (temporaryLog != null) {
                Files.deleteIfExists(temporaryLog);
            }
        }
    }

    /** The names of the demos, for the help text and for shell completion. */
    static final class DemoNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Demos.all().stream().map(Demo::name).iterator();
        }
    }
}
