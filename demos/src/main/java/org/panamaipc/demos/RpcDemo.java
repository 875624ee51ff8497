package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MaxLength;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.message.PortGoneException;
import org.panamaipc.rpc.RemoteException;
import org.panamaipc.rpc.RpcClient;
import org.panamaipc.rpc.RpcOptions;
import org.panamaipc.rpc.RpcServer;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Request and reply: a price server JVM and three client JVMs. The server answers
 * {@code Quote(symbol, quantity)} with {@code Price(symbol, quantity, cents)} on two worker
 * threads; each client makes {@value #CALLS} calls, half waiting for each answer and half
 * asynchronous, and checks that every answer is the one to its own request; it also asks for a
 * symbol the server does not know and gets the handler's exception back, type and message. Then
 * this JVM calls a symbol the server takes its time over, kills the server with {@code SIGKILL}
 * while the call waits, and measures how soon the call fails: at once, not at its deadline.
 *
 * {@snippet lang=java :
 * record Quote(@MaxLength(8) String symbol, int quantity) {}
 * record Price(@MaxLength(8) String symbol, int quantity, long cents) {}
 *
 * // the server
 * try (RpcServer<Quote, Price> prices = RpcServer.create("/prices", QUOTES, PRICES,
 *         quote -> new Price(quote.symbol(), quote.quantity(), book.cents(quote.symbol()) * quote.quantity()),
 *         RpcOptions.defaults().workers(2))) {
 *     ...
 * }
 * // a client
 * try (RpcClient<Quote, Price> prices = RpcClient.open("/prices", QUOTES, PRICES)) {
 *     Price price = prices.call(new Quote("ACME", 10), Duration.ofSeconds(5));
 *     CompletableFuture<Price> later = prices.callAsync(new Quote("INITECH", 3), Duration.ofSeconds(5));
 * }
 * }
 */
public final class RpcDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "rpc";

    static final int CLIENTS = 3;
    static final int CALLS = 2000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SYMBOLS = List.of("ACME", "INITECH", "HOOLI", "UMBRELLA");
    /** The symbol the server takes its time over (until it is killed). */
    private static final String SLOW = "SLOW";

    /** A request: the price of {@code quantity} of {@code symbol}. */
    record Quote(@MaxLength(8) String symbol, int quantity) {
    }

    /** An answer: the quote's symbol and quantity, and their price in cents. */
    record Price(@MaxLength(8) String symbol, int quantity, long cents) {
    }

    static final RecordCodec<Quote> QUOTES = Codec.ofRecord(Quote.class);
    static final RecordCodec<Price> PRICES = Codec.ofRecord(Price.class);

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public RpcDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "request/reply: a server JVM answers " + CLIENTS + " client JVMs; a handler's exception reaches its caller;"
                + " killing the server fails a pending call at once";
    }

    static long centsOf(String symbol) {
        int at = SYMBOLS.indexOf(symbol);
        if (at < 0) {
            throw new IllegalArgumentException("no such symbol: " + symbol);
        }
        return 100L * (at + 1) + 7;
    }

    /** No argument: the whole demo; {@code server NAME}: the server; {@code client N NAME}: client N. */
    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        int exitCode;
        if (args.length == 0) {
            exitCode = new RpcDemo().run(out, Redirect.INHERIT);
        } else if (args.length == 2 && args[0].equals("server")) {
            exitCode = server(args[1], out);
        } else if (args.length == 3 && args[0].equals("client")) {
            exitCode = client(Integer.parseInt(args[1]), args[2], out);
        } else {
            System.err.println("usage: RpcDemo [server NAME | client N NAME]");
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        String name = "/pipc-demo-" + ProcessHandle.current().pid() + "-prices";
        out.println("A price server JVM and " + CLIENTS + " client JVMs. The server " + name + " answers each Quote with a");
        out.println("Price on two worker threads; each client makes " + CALLS + " calls, half of them asynchronous, and checks");
        out.println("that every answer is the one to its own request. Then this JVM kills the server under a pending call.");
        out.println();
        out.flush();
        DemoSupport.Side me = new DemoSupport.Side("demo", out);
        Thread unlinkOnExit = new Thread(() -> RpcServer.unlinkIfExists(name));
        Runtime.getRuntime().addShutdownHook(unlinkOnExit);
        ChildOutputs outputs = new ChildOutputs(childOutput);
        List<Process> children = new ArrayList<>();
        String failure = null;
        long failedAfterNanos = -1;
        Process server = null;
        try {
            Path serverLog = Files.createTempFile("pipc-rpc-demo-server", ".log");
            server = ChildJvm.start(RpcDemo.class, List.of("server", name), Redirect.to(serverLog.toFile()));
            long until = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.readString(serverLog).contains("READY") && System.nanoTime() < until && server.isAlive()) {
                Thread.sleep(10);
            }
            Files.readAllLines(serverLog).forEach(out::println);
            Files.deleteIfExists(serverLog);
            if (!RpcServer.exists(name)) {
                failure = "the server did not start";
            }
            for (int n = 1; failure == null && n <= CLIENTS; n++) {
                children.add(ChildJvm.start(RpcDemo.class, List.of("client", Integer.toString(n), name), outputs.of(n)));
            }
            for (Process client : children) {
                if (!ChildJvm.stop(client, TIMEOUT) && failure == null) {
                    failure = "client pid " + client.pid() + " did not finish; killed it";
                } else if (client.exitValue() != 0 && failure == null) {
                    failure = "client pid " + client.pid() + " reports a problem (exit code " + client.exitValue() + ")";
                }
            }
            outputs.copy(CLIENTS, "client", out);
            if (failure == null) {
                try (RpcClient<Quote, Price> prices = RpcClient.open(name, QUOTES, PRICES)) {
                    CompletableFuture<Price> pending = prices.callAsync(new Quote(SLOW, 1), TIMEOUT);
                    Thread.sleep(200); // the server has taken it and sleeps in the handler
                    me.say("a call is pending (%d in flight, deadline %d s); killing the server (pid %d) with SIGKILL",
                            prices.pending(), TIMEOUT.toSeconds(), server.pid());
                    long killed = System.nanoTime();
                    server.destroyForcibly();
                    try {
                        pending.get(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
                        failure = "the pending call was answered by a killed server";
                    } catch (ExecutionException e) {
                        failedAfterNanos = System.nanoTime() - killed;
                        if (e.getCause() instanceof PortGoneException gone) {
                            me.say("the pending call failed %s after the kill: %s", DemoSupport.elapsed(failedAfterNanos),
                                    gone.getMessage());
                        } else {
                            failure = "the pending call failed with " + e.getCause();
                        }
                    } catch (java.util.concurrent.TimeoutException e) {
                        failure = "the pending call did not fail when the server was killed";
                    }
                }
            }
        } catch (IpcException | IOException e) {
            failure = e.getMessage();
        } finally {
            children.forEach(client -> ChildJvm.stop(client, Duration.ZERO));
            if (server != null) {
                ChildJvm.stop(server, Duration.ZERO);
            }
            RpcServer.unlinkIfExists(name);
            DemoSupport.removeShutdownHook(unlinkOnExit);
        }
        out.println();
        if (failure == null) {
            out.printf("Check: %d calls from %d client JVMs each answered and matched to its own request, a handler's"
                    + " exception reached its caller with its type and message, and a call pending when the server was"
                    + " killed failed %s after SIGKILL (its deadline was %d s).%n", CLIENTS * CALLS, CLIENTS,
                    DemoSupport.elapsed(failedAfterNanos), TIMEOUT.toSeconds());
            out.println("demos/src/main/java/org/panamaipc/demos/RpcDemo.java reads as a tutorial.");
            out.flush();
            return 0;
        }
        out.println("Check FAILED: " + failure);
        out.flush();
        return 1;
    }

    /** The server: answers until killed; {@value #SLOW} takes a minute. */
    private static int server(String name, PrintWriter out) throws InterruptedException {
        DemoSupport.Side me = new DemoSupport.Side("server", out);
        try (RpcServer<Quote, Price> prices = RpcServer.create(name, QUOTES, PRICES, quote -> {
            if (quote.symbol().equals(SLOW)) {
                sleep(Duration.ofMinutes(1));
            }
            return new Price(quote.symbol(), quote.quantity(), centsOf(quote.symbol()) * quote.quantity());
        }, RpcOptions.defaults().workers(2))) {
            me.say("READY: serving %s with %d workers", prices.name(), prices.workers());
            sleep(Duration.ofMinutes(2)); // until the demo kills it
        }
        return 0;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A client: {@value #CALLS} calls, half asynchronous, each answer checked; then one the handler refuses. */
    private static int client(int n, String name, PrintWriter out) throws InterruptedException {
        DemoSupport.Side me = new DemoSupport.Side("client-" + n, out);
        try (RpcClient<Quote, Price> prices = RpcClient.open(name, QUOTES, PRICES)) {
            List<CompletableFuture<Price>> inFlight = new ArrayList<>();
            List<Quote> asked = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                Quote quote = new Quote(SYMBOLS.get((n + i) % SYMBOLS.size()), 1 + i);
                if (i % 2 == 0) {
                    check(quote, prices.call(quote, TIMEOUT));
                } else {
                    inFlight.add(prices.callAsync(quote, TIMEOUT));
                    asked.add(quote);
                }
            }
            for (int i = 0; i < inFlight.size(); i++) {
                check(asked.get(i), inFlight.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            me.say("%d calls answered and matched in %s (%d of them asynchronous)", CALLS,
                    DemoSupport.elapsed(System.nanoTime() - start), inFlight.size());
            try {
                prices.call(new Quote("NOPE", 1), TIMEOUT);
                me.say("the server priced an unknown symbol");
                return 1;
            } catch (RemoteException e) {
                me.say("an unknown symbol: the handler's %s came back: %s", e.remoteType(), e.remoteMessage());
                if (!e.remoteType().equals(IllegalArgumentException.class.getName())
                        || !"no such symbol: NOPE".equals(e.remoteMessage())) {
                    return 1;
                }
            }
            return 0;
        } catch (IpcException | ExecutionException | java.util.concurrent.TimeoutException | IllegalStateException e) {
            me.say("failed: %s", e);
            return 1;
        }
    }

    private static void check(Quote quote, Price price) {
        if (!price.symbol().equals(quote.symbol()) || price.quantity() != quote.quantity()
                || price.cents() != centsOf(quote.symbol()) * quote.quantity()) {
            throw new IllegalStateException("asked " + quote + ", answered " + price);
        }
    }
}
