package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MaxLength;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.endpoint.Endpoint;
import org.panamaipc.endpoint.EndpointRegistry;
import org.panamaipc.message.Header;
import org.panamaipc.message.MailboxOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct communication: a print server and its clients address each other by name. This JVM
 * registers the name {@code "printer"} in an endpoint registry ({@code /pipc-demo-PID-printers});
 * that gives it a port, a mailbox only it receives from, which goes with it. Three client JVMs
 * register {@code "client-1"} ... {@code "client-3"}, send print jobs to {@code "printer"} by name,
 * and wait for each answer; the server answers each job to the endpoint it came from, read from
 * the message's header, without knowing any client in advance.
 *
 * {@snippet lang=java :
 * record PrintJob(int number, @MaxLength(24) String document, int pages) {}
 *
 * // the server
 * try (EndpointRegistry registry = EndpointRegistry.create("/printers");
 *      Endpoint<PrintJob> printer = registry.register("printer", JOBS)) {
 *     PrintJob job = printer.receive();
 *     long from = printer.lastHeader().replyTo();         // the sender's endpoint
 *     printer.reply(from, job);                           // "printed"
 * }
 * // a client
 * try (EndpointRegistry registry = EndpointRegistry.open("/printers");
 *      Endpoint<PrintJob> me = registry.register("client-1", JOBS)) {
 *     me.send("printer", new PrintJob(1, "report.pdf", 12));
 *     PrintJob printed = me.receive(Duration.ofSeconds(5));
 * }
 * }
 *
 * <p>At the end the server checks that it printed every job once and in each client's order, and
 * every client checks that it got an answer to each of its jobs.
 */
public final class PrintServerDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "print-server";

    static final int CLIENTS = 3;
    static final int JOBS_PER_CLIENT = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> DOCUMENTS = List.of("report.pdf", "invoice-%d.pdf", "slides.odp", "photo-%d.png");

    /** A print job, and its answer (the same job, printed). */
    record PrintJob(int number, @MaxLength(24) String document, int pages) {
    }

    static final RecordCodec<PrintJob> JOBS = Codec.ofRecord(PrintJob.class);

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public PrintServerDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "direct communication: a print server JVM and " + CLIENTS + " client JVMs address each other by name";
    }

    /** No argument: the whole demo (the server); {@code client N REGISTRY}: client N. */
    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(System.out, true);
        int exitCode;
        if (args.length == 0) {
            exitCode = new PrintServerDemo().run(out, Redirect.INHERIT);
        } else if (args.length == 3 && args[0].equals("client")) {
            exitCode = client(Integer.parseInt(args[1]), args[2], out);
        } else {
            System.err.println("usage: PrintServerDemo [client N REGISTRY]");
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        String registryName = "/pipc-demo-" + ProcessHandle.current().pid() + "-printers";
        DemoSupport.Side server = new DemoSupport.Side("printer", out);
        out.println("A print server and " + CLIENTS + " clients, each in its own JVM, that know each other only by name.");
        out.println("The server registers \"printer\" in the registry " + registryName + " and serves its port;");
        out.println("each client registers a name of its own, sends jobs to \"printer\" and waits for each answer,");
        out.println("which the server sends back to wherever the job came from.");
        out.println();
        out.flush();
        Thread unlinkOnExit = new Thread(() -> {
            EndpointRegistry.unlinkIfExists(registryName);
            org.panamaipc.message.Port.unlinkIfExists(registryName + ".printer");
        });
        Runtime.getRuntime().addShutdownHook(unlinkOnExit);
        ChildOutputs outputs = new ChildOutputs(childOutput);
        List<Process> clients = new ArrayList<>();
        String failure = null;
        int printed = 0;
        try (EndpointRegistry registry = EndpointRegistry.create(registryName, 8);
             Endpoint<PrintJob> printer = registry.register("printer", MailboxOptions.ring().capacity(16), JOBS)) {
            server.say("registered \"printer\" in %s; its port is %s", registryName, printer.port().name());
            for (int n = 1; n <= CLIENTS; n++) {
                clients.add(ChildJvm.start(PrintServerDemo.class, List.of("client", Integer.toString(n), registryName),
                        outputs.of(n)));
            }
            Map<String, Integer> lastJob = new HashMap<>();
            while (printed < CLIENTS * JOBS_PER_CLIENT && failure == null) {
                PrintJob job = printer.receive(TIMEOUT);
                if (job == null) {
                    failure = "no job for " + TIMEOUT.toSeconds() + " s after " + printed;
                    break;
                }
                Header header = printer.lastHeader();
                String from = printer.nameOf(header.replyTo());
                Integer previous = lastJob.put(from, job.number());
                if (from == null || (previous != null && previous >= job.number())) {
                    failure = "job " + job.number() + " from " + from + " came after job " + previous;
                    break;
                }
                server.say("printing %s's job %d: %s, %d pages (pid %d, sent %s ago)", from, job.number(),
                        job.document(), job.pages(), header.sourcePid(), DemoSupport.elapsed(header.ageNanos()));
                printer.reply(header.replyTo(), job);
                printed++;
            }
            for (Process client : clients) {
                if (!ChildJvm.stop(client, TIMEOUT) && failure == null) {
                    failure = "client pid " + client.pid() + " did not finish; killed it";
                } else if (client.exitValue() != 0 && failure == null) {
                    failure = "client pid " + client.pid() + " reports a problem (exit code " + client.exitValue() + ")";
                }
            }
            registry.unlink();
        } catch (IpcException | IOException e) {
            failure = e.getMessage();
        } finally {
            clients.forEach(client -> ChildJvm.stop(client, Duration.ZERO));
            EndpointRegistry.unlinkIfExists(registryName);
            DemoSupport.removeShutdownHook(unlinkOnExit);
            outputs.copy(CLIENTS, "client", out);
        }
        out.println();
        if (failure == null) {
            out.printf("Check: %d jobs from %d client JVMs printed once each, in each client's order, and every client"
                    + " got its %d answers; the port went with the server.%n", printed, CLIENTS, JOBS_PER_CLIENT);
            out.println("demos/src/main/java/org/panamaipc/demos/PrintServerDemo.java reads as a tutorial.");
            out.flush();
            return 0;
        }
        out.println("Check FAILED: " + failure);
        out.flush();
        return 1;
    }

    /** A client: registers, sends its jobs to "printer" by name one at a time, and checks each answer. */
    private static int client(int n, String registryName, PrintWriter out) throws InterruptedException {
        String name = "client-" + n;
        DemoSupport.Side me = new DemoSupport.Side(name, out);
        try (EndpointRegistry registry = EndpointRegistry.open(registryName);
             Endpoint<PrintJob> endpoint = registry.register(name, MailboxOptions.ring().capacity(4), JOBS)) {
            for (int number = 1; number <= JOBS_PER_CLIENT; number++) {
                String document = String.format(DOCUMENTS.get((n + number) % DOCUMENTS.size()), number);
                PrintJob job = new PrintJob(number, document, 1 + (n * 7 + number * 3) % 20);
                endpoint.send("printer", job);
                PrintJob answer = endpoint.receive(TIMEOUT);
                if (!job.equals(answer)) {
                    me.say("job %d: the answer was %s", number, answer);
                    return 1;
                }
                me.say("job %d printed by %s (pid %d), answered in %s", number,
                        endpoint.nameOf(endpoint.lastHeader().replyTo()), endpoint.lastHeader().sourcePid(),
                        DemoSupport.elapsed(endpoint.lastHeader().ageNanos()));
            }
            return 0;
        } catch (IpcException e) {
            me.say("failed: %s", e.getMessage());
            return 1;
        }
    }
}
