package org.panamaipc.children;

import org.panamaipc.rpc.RemoteException;
import org.panamaipc.rpc.RpcClient;
import org.panamaipc.rpc.RpcOptions;
import org.panamaipc.rpc.RpcRecords;
import org.panamaipc.rpc.RpcRecords.Add;
import org.panamaipc.rpc.RpcRecords.Sum;
import org.panamaipc.rpc.RpcServer;
import org.panamaipc.testkit.Watchdog;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Child JVM for the RPC tests; the first argument picks the role. Every role has a deadline. */
public final class RpcChild {

    /** A request whose {@code b} is this makes the servers of {@code hang} block in the handler. */
    public static final long HANG = Long.MIN_VALUE;

    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static final Duration CALL = Duration.ofSeconds(60);

    private RpcChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start(args[0], DEADLINE);
        switch (args[0]) {
            case "client" -> client(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]));
            case "client-throw" -> clientThrow(args[1]);
            case "client-hang" -> clientHang(args[1], Integer.parseInt(args[2]));
            case "client-idle" -> clientIdle(args[1]);
            case "server" -> server(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.out.flush();
        System.exit(0);
    }

    /**
     * Makes {@code count} calls as client {@code id}, alternately waiting for one and keeping up
     * to 16 asynchronous calls in flight, and checks that every reply answers its own request.
     */
    private static void client(String server, long id, int count) throws Exception {
        try (RpcClient<Add, Sum> client = RpcClient.open(server, RpcRecords.ADDS, RpcRecords.SUMS)) {
            ArrayDeque<CompletableFuture<Sum>> inFlight = new ArrayDeque<>();
            ArrayDeque<Long> numbers = new ArrayDeque<>();
            long matched = 0;
            for (long n = 0; n < count; n++) {
                if (n % 2 == 0) {
                    matched += check(client.call(new Add(id, n, n, id * 1_000_000), CALL), id, n);
                } else {
                    inFlight.add(client.callAsync(new Add(id, n, n, id * 1_000_000), CALL));
                    numbers.add(n);
                    if (inFlight.size() == 16) {
                        matched += check(inFlight.poll().get(60, TimeUnit.SECONDS), id, numbers.poll());
                    }
                }
            }
            while (!inFlight.isEmpty()) {
                matched += check(inFlight.poll().get(60, TimeUnit.SECONDS), id, numbers.poll());
            }
            System.out.println("MATCHED " + matched + " pending=" + client.pending());
        }
    }

    private static int check(Sum sum, long id, long n) {
        Sum expected = new Sum(id, n, n + id * 1_000_000);
        if (!sum.equals(expected)) {
            throw new AssertionError("call " + n + " of client " + id + " got " + sum + ", not " + expected);
        }
        return 1;
    }

    /** Calls with a negative {@code a}, which the handler refuses, and prints what came back. */
    private static void clientThrow(String server) throws Exception {
        try (RpcClient<Add, Sum> client = RpcClient.open(server, RpcRecords.ADDS, RpcRecords.SUMS)) {
            try {
                client.call(new Add(5, 42, -7, 0), CALL);
                System.out.println("NO EXCEPTION");
            } catch (RemoteException e) {
                System.out.println("REMOTE type=" + e.remoteType() + " message=" + e.remoteMessage());
            }
        }
    }

    /**
     * Makes one call, then sends {@code count} calls the server's handler blocks in, prints SENT,
     * and waits to be killed.
     */
    private static void clientHang(String server, int count) throws Exception {
        RpcClient<Add, Sum> client = RpcClient.open(server, RpcRecords.ADDS, RpcRecords.SUMS);
        client.call(new Add(9, -1, 1, 1), CALL); // the server opens the reply port at its first answer
        for (int n = 0; n < count; n++) {
            client.callAsync(new Add(9, n, n, HANG));
        }
        System.out.println("SENT " + count + " reply port " + client.replyPort());
        System.out.flush();
        Thread.sleep(DEADLINE.toMillis());
    }

    /** Opens a client, prints its reply port, and waits to be killed before it ever calls. */
    private static void clientIdle(String server) throws Exception {
        RpcClient<Add, Sum> client = RpcClient.open(server, RpcRecords.ADDS, RpcRecords.SUMS);
        System.out.println("OPEN reply port " + client.replyPort());
        System.out.flush();
        Thread.sleep(DEADLINE.toMillis());
    }

    /** Serves {@link RpcRecords#add} with {@code workers} workers; a request of b={@link #HANG} blocks. */
    private static void server(String name, int workers) throws Exception {
        RpcServer<Add, Sum> server = RpcServer.create(name, RpcRecords.ADDS, RpcRecords.SUMS, add -> {
            if (add.b() == HANG) {
                System.out.println("ENTERED " + add.n());
                System.out.flush();
                try {
                    Thread.sleep(DEADLINE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return RpcRecords.add(add);
        }, RpcOptions.defaults().workers(workers));
        System.out.println("READY pid=" + ProcessHandle.current().pid() + " " + server);
        System.out.flush();
        Thread.sleep(DEADLINE.toMillis());
    }
}
