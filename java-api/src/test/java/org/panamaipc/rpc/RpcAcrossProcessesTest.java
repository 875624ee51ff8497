package org.panamaipc.rpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.RpcChild;
import org.panamaipc.message.PortGoneException;
import org.panamaipc.rpc.RpcRecords.Add;
import org.panamaipc.rpc.RpcRecords.Sum;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request and reply between real JVMs: four client JVMs calling one server, a handler's exception
 * in another process, a server killed with {@code SIGKILL} under pending calls, and clients killed
 * mid-call or before their first call, which must leave nothing in the server nor in
 * {@code /dev/shm}.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(300)
class RpcAcrossProcessesTest {

    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(150);
    /** Far longer than any failure the tests wait for: a call that reaches it failed the test. */
    private static final Duration CALL_DEADLINE = Duration.ofMinutes(2);

    @Test
    void shouldMatchEveryReplyOfFourClientJvmsToItsRequest() throws Exception {
        String name = TestNames.unique("rpc-4");
        int calls = 10_000;
        try (RpcServer<Add, Sum> server = RpcServer.create(name, RpcRecords.ADDS, RpcRecords.SUMS, RpcRecords::add,
                RpcOptions.defaults().workers(2))) {
            List<ChildProcess> clients = new ArrayList<>();
            try {
                for (int id = 1; id <= 4; id++) {
                    clients.add(ChildProcess.java(RpcChild.class, "client", name, Integer.toString(id), Integer.toString(calls)));
                }
                for (ChildProcess client : clients) {
                    client.assertSuccess(CHILD_DEADLINE);
                    assertTrue(client.output().contains("MATCHED " + calls + " pending=0"), client.output());
                }
            } finally {
                clients.forEach(ChildProcess::close);
            }
            assertEquals(4L * calls, server.answered());
            awaitNoClients(server);
        }
    }

    @Test
    void shouldThrowTheHandlersExceptionInTheCallingProcess() throws Exception {
        String name = TestNames.unique("rpc-e");
        try (RpcServer<Add, Sum> server = RpcServer.create(name, RpcRecords.ADDS, RpcRecords.SUMS, RpcRecords::add);
             ChildProcess client = ChildProcess.java(RpcChild.class, "client-throw", name)) {
            client.assertSuccess(CHILD_DEADLINE);
            assertTrue(client.output().contains("REMOTE type=java.lang.IllegalArgumentException message=negative a=-7"
                    + " in call 42 of client 5"), client.output());
        }
    }

    /**
     * Kills the server JVM under a blocked call and seven more waiting in its port, three times,
     * and measures from the kill to the failure of the last pending call.
     */
    @Test
    void shouldFailPendingCallsAtOnceWhenTheServerIsKilled() throws Exception {
        long[] millis = new long[3];
        for (int trial = 0; trial < millis.length; trial++) {
            String name = TestNames.unique("rpc-k");
            try (ChildProcess server = ChildProcess.java(RpcChild.class, "server", name, "1")) {
                server.awaitOutput("READY", CHILD_DEADLINE);
                try (RpcClient<Add, Sum> client = RpcClient.open(name, RpcRecords.ADDS, RpcRecords.SUMS)) {
                    assertEquals(new Sum(1, 1, 3), client.call(new Add(1, 1, 1, 2), CALL_DEADLINE));
                    List<CompletableFuture<Sum>> pending = new ArrayList<>();
                    long[] failedAt = new long[8];
                    for (int n = 0; n < 8; n++) {
                        int i = n;
                        pending.add(client.callAsync(new Add(1, n, n, RpcChild.HANG), CALL_DEADLINE)
                                .whenComplete((sum, e) -> failedAt[i] = System.nanoTime()));
                    }
                    server.awaitOutput("ENTERED 0", CHILD_DEADLINE);
                    assertEquals(8, client.pending());
                    long killed = System.nanoTime();
                    server.kill();
                    long last = 0;
                    for (CompletableFuture<Sum> call : pending) {
                        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES));
                        PortGoneException gone = assertInstanceOf(PortGoneException.class, e.getCause());
                        assertFalse(gone.closedByOwner(), gone.getMessage());
                    }
                    synchronized (failedAt) {
                        for (long at : failedAt) {
                            last = Math.max(last, at);
                        }
                    }
                    millis[trial] = TimeUnit.NANOSECONDS.toMillis(last - killed);
                    assertFalse(client.serverPresent());
                    assertThrows(PortGoneException.class, () -> client.call(new Add(1, 9, 1, 1), CALL_DEADLINE));
                    assertEquals(0, client.pending());
                }
            } finally {
                RpcServer.unlinkIfExists(name);
            }
        }
        System.out.println("RpcAcrossProcessesTest: 8 pending calls failed " + Arrays.toString(millis)
                + " ms after SIGKILL of the server (kill to the last failure; their deadline was " + CALL_DEADLINE + ")");
    }

    @Test
    void shouldLeaveNothingInTheServerWhenClientsAreKilled() throws Exception {
        String name = TestNames.unique("rpc-z");
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try (RpcServer<Add, Sum> server = RpcServer.create(name, RpcRecords.ADDS, RpcRecords.SUMS, add -> {
            if (add.b() == RpcChild.HANG) {
                entered.countDown();
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return RpcRecords.add(add);
        }, RpcOptions.defaults().workers(2))) {
            // a client killed with calls in the handler and more waiting in the port
            try (ChildProcess client = ChildProcess.java(RpcChild.class, "client-hang", name, "6")) {
                client.awaitOutput("SENT 6", CHILD_DEADLINE);
                assertTrue(entered.await(1, TimeUnit.MINUTES), "both workers took a call");
                assertEquals(1, server.clients());
                assertFalse(replyPorts(name).isEmpty(), "the client's reply port is there");
                client.kill();
            } finally {
                release.countDown();
            }
            awaitNoClients(server);
            awaitNoReplyPorts(name);
            // a client killed before its first call, whose reply port the server never opened
            try (ChildProcess idle = ChildProcess.java(RpcChild.class, "client-idle", name)) {
                idle.awaitOutput("OPEN", CHILD_DEADLINE);
                assertEquals(2, replyPorts(name).size(), "its reply port, control segment and ring: " + replyPorts(name));
                idle.kill();
            }
            awaitNoReplyPorts(name);
            assertEquals(0, server.clients());
            try (RpcClient<Add, Sum> client = RpcClient.open(name, RpcRecords.ADDS, RpcRecords.SUMS)) {
                assertEquals(new Sum(2, 3, 7), client.call(new Add(2, 3, 3, 4), CALL_DEADLINE), "the server goes on");
            }
        }
        assertEquals(List.of(), replyPorts(name));
    }

    private static void awaitNoClients(RpcServer<?, ?> server) throws InterruptedException {
        long end = System.nanoTime() + CHILD_DEADLINE.toNanos();
        while (server.clients() != 0 && System.nanoTime() - end < 0) {
            Thread.sleep(10);
        }
        assertEquals(0, server.clients(), "clients the server still holds");
    }

    private static void awaitNoReplyPorts(String name) throws Exception {
        long end = System.nanoTime() + CHILD_DEADLINE.toNanos();
        while (!replyPorts(name).isEmpty() && System.nanoTime() - end < 0) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), replyPorts(name), "reply ports left in /dev/shm");
    }

    /** {@return the names in /dev/shm of the reply ports of server {@code name}} */
    private static List<String> replyPorts(String name) throws IOException {
        String prefix = name.substring(1) + ".c";
        try (Stream<Path> entries = Files.list(Path.of("/dev/shm"))) {
            return entries.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(prefix)).sorted().toList();
        }
    }
}
