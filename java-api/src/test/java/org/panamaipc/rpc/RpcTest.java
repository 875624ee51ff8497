package org.panamaipc.rpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.codec.Codec;
import org.panamaipc.message.Port;
import org.panamaipc.message.PortGoneException;
import org.panamaipc.rpc.RpcRecords.Add;
import org.panamaipc.rpc.RpcRecords.Sum;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a call does, with server and client in one process (the tests across processes are in
 * {@link RpcAcrossProcessesTest}): answers, remote exceptions, deadlines, calls in flight, bad
 * input, and closing either side.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class RpcTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void shouldAnswerACallAndMatchEveryReplyToItsRequest() throws Exception {
        String name = TestNames.unique("rpc-a");
        try (RpcServer<Add, Sum> server = RpcServer.create(name, RpcRecords.ADDS, RpcRecords.SUMS, RpcRecords::add,
                RpcOptions.defaults().workers(2));
             RpcClient<Add, Sum> client = RpcClient.open(name, RpcRecords.ADDS, RpcRecords.SUMS)) {
            assertEquals(new Sum(7, 1, 5), client.call(new Add(7, 1, 2, 3), LONG));
            assertEquals(new Sum(7, 2, 9), client.call(new Add(7, 2, 4, 5)));
            List<CompletableFuture<Sum>> inFlight = new ArrayList<>();
            for (int n = 0; n < 500; n++) {
                inFlight.add(client.callAsync(new Add(7, n, n, 1000), LONG));
            }
            for (int n = 0; n < 500; n++) {
                assertEquals(new Sum(7, n, n + 1000), inFlight.get(n).get(30, TimeUnit.SECONDS));
            }
            assertEquals(0, client.pending());
            assertEquals(502, server.answered());
            assertEquals(1, server.clients());
            assertTrue(client.serverPresent());
            assertTrue(client.replyPort().startsWith(name + ".c"), client.replyPort());
        }
    }

    @Test
    void shouldRunAsManyHandlersAtOnceAsThereAreWorkers() throws Exception {
        // each handler waits at a barrier for the others: the calls can only all be answered if
        // the turn at the port passed to the other workers while the first handlers ran (a guard
        // of what the workers' turns are for, whichever way a waiting worker waits)
        int workers = 3;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(workers);
        String name = TestNames.unique("rpc-w");
        try (RpcServer<Add, Sum> server = RpcServer.create(name, RpcRecords.ADDS, RpcRecords.SUMS, add -> {
                try {
                    together.await(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other handlers did not run meanwhile: " + e, e);
                }
                return RpcRecords.add(add);
            }, RpcOptions.defaults().workers(workers));
             RpcClient<Add, Sum> client = RpcClient.open(name, RpcRecords.ADDS, RpcRecords.SUMS)) {
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<Sum>> calls = new ArrayList<>();
                for (int n = 0; n < workers; n++) {
                    calls.add(client.callAsync(new Add(round, n, n, 1), LONG));
                }
                for (int n = 0; n < workers; n++) {
                    assertEquals(new Sum(round, n, n + 1), calls.get(n).get(30, TimeUnit.SECONDS));
                }
            }
            assertEquals(3L * workers, server.answered());
        }
    }

    @Test
    void shouldThrowTheHandlersExceptionTypeAndMessageAtTheCaller() throws Exception {
        String name = TestNames.unique("rpc-x");
        try (RpcServer<Add, Sum> server = RpcServer.create(name, RpcRecords.ADDS, RpcRecords.SUMS, RpcRecords::add);
             RpcClient<Add, Sum> client = RpcClient.open(name, RpcRecords.ADDS, RpcRecords.SUMS)) {
            RemoteException e = assertThrows(RemoteException.class, () -> client.call(new Add(3, 9, -1, 0), LONG));
            assertEquals(IllegalArgumentException.class.getName(), e.remoteType());
            assertEquals("negative a=-1 in call 9 of client 3", e.remoteMessage());
            assertEquals(name, e.server());
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> client.callAsync(new Add(3, 10, -2, 0), LONG).get(30, TimeUnit.SECONDS));
            RemoteException cause = assertInstanceOf(RemoteException.class, async.getCause());
            assertEquals("negative a=-2 in call 10 of client 3", cause.remoteMessage());
            assertEquals(new Sum(3, 11, 2), client.call(new Add(3, 11, 1, 1), LONG), "the server goes on");
        }
    }

    @Test
    void shouldAnswerNullAndStringsOfAnyLength() throws Exception {
        String name = TestNames.unique("rpc-s");
        try (RpcServer<String, String> server = RpcServer.create(name, Codec.utf8(), Codec.utf8(),
                s -> s.equals("null") ? null : s.toUpperCase());
             RpcClient<String, String> client = RpcClient.open(name, Codec.utf8(), Codec.utf8())) {
            assertNull(client.call("null", LONG));
            assertEquals("", client.call("", LONG));
            assertEquals("ÉTÉ", client.call("été", LONG));
            String longest = "x".repeat(RpcOptions.DEFAULT_MAX_LENGTH);
            assertEquals(longest.toUpperCase(), client.call(longest, LONG));
            MessageTooLongException tooLong = assertThrows(MessageTooLongException.class, () -> client.call(longest + "y", LONG));
            assertEquals(RpcOptions.DEFAULT_MAX_LENGTH + 1, tooLong.length());
            assertEquals(RpcOptions.DEFAULT_MAX_LENGTH, tooLong.maxLength());
            assertEquals(0, client.pending(), "a refused request leaves nothing pending");
            assertEquals("OK", client.call("ok", LONG), "nothing was sent");
        }
    }

    @Test
    void shouldReturnAResponseTooLongForTheReplyPortAsARemoteException() throws Exception {
        String name = TestNames.unique("rpc-l");
        try (RpcServer<String, String> server = RpcServer.create(name, Codec.utf8(), Codec.utf8(), s -> s.repeat(100));
             RpcClient<String, String> client = RpcClient.open(name, Codec.utf8(), Codec.utf8(),
                     RpcOptions.defaults().maxResponseLength(1000))) {
            assertEquals("ab".repeat(100), client.call("ab", LONG));
            RemoteException e = assertThrows(RemoteException.class, () -> client.call("abcdefghijk", LONG));
            assertEquals(MessageTooLongException.class.getName(), e.remoteType());
            assertTrue(e.remoteMessage().contains("1100 bytes"), e.remoteMessage());
        }
    }

    @Test
    void shouldTimeOutAtTheDeadlineAndDropTheLateAnswer() throws Exception {
        String name = TestNames.unique("rpc-t");
        CountDownLatch release = new CountDownLatch(1);
        try (RpcServer<String, String> server = RpcServer.create(name, Codec.utf8(), Codec.utf8(), s -> {
            if (s.equals("slow")) {
                await(release);
            }
            return s;
        }, RpcOptions.defaults().workers(2));
             RpcClient<String, String> client = RpcClient.open(name, Codec.utf8(), Codec.utf8())) {
            IpcTimeoutException late = assertThrows(IpcTimeoutException.class, () -> client.call("slow", Duration.ofMillis(200)));
            assertTrue(late.getMessage().contains(name), late.getMessage());
            CompletableFuture<String> async = client.callAsync("slow", Duration.ofMillis(200));
            ExecutionException e = assertThrows(ExecutionException.class, () -> async.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IpcTimeoutException.class, e.getCause());
            assertEquals(0, client.pending());
            release.countDown();
            assertEquals("fast", client.call("fast", LONG), "the late answers were dropped");
            assertThrows(IpcTimeoutException.class, () -> client.call("fast", Duration.ZERO),
                    "zero is a deadline passed already");
            assertEquals("fast", client.call("fast", Duration.ofSeconds(Long.MAX_VALUE)), "too long to count: forever");
        }
    }

    @Test
    void shouldFailPendingCallsAtOnceWhenTheServerCloses() throws Exception {
        String name = TestNames.unique("rpc-c");
        CountDownLatch entered = new CountDownLatch(1);
        RpcServer<String, String> server = RpcServer.create(name, Codec.utf8(), Codec.utf8(), s -> {
            entered.countDown();
            return s;
        });
        try (RpcClient<String, String> client = RpcClient.open(name, Codec.utf8(), Codec.utf8())) {
            assertEquals("a", client.call("a", LONG));
            server.close();
            assertFalse(client.serverPresent());
            assertFalse(RpcServer.exists(name), "closing the server removes its name");
            PortGoneException gone = assertThrows(PortGoneException.class, () -> client.call("b", LONG));
            assertTrue(gone.closedByOwner(), gone.getMessage());
            assertThrows(PortGoneException.class, () -> client.callAsync("c"));
        } finally {
            server.close();
        }
    }

    @Test
    void shouldFailCallsOfAClosedClientAndDropItInTheServer() throws Exception {
        String name = TestNames.unique("rpc-d");
        CountDownLatch release = new CountDownLatch(1);
        try (RpcServer<String, String> server = RpcServer.create(name, Codec.utf8(), Codec.utf8(), s -> {
            await(release);
            return s;
        })) {
            RpcClient<String, String> client = RpcClient.open(name, Codec.utf8(), Codec.utf8());
            CompletableFuture<String> pending = client.callAsync("x");
            client.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(30, TimeUnit.SECONDS));
            IllegalStateException closed = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(closed.getMessage().contains(name), closed.getMessage());
            assertThrows(IllegalStateException.class, () -> client.call("y", LONG));
            assertThrows(IllegalStateException.class, () -> client.callAsync("y"));
            client.close();
            assertFalse(Port.exists(client.replyPort()), "the client's close removes its reply port");
            release.countDown();
            long deadline = System.nanoTime() + LONG.toNanos();
            while (server.clients() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, server.clients(), "the server dropped the closed client");
        }
    }

    @Test
    void shouldRefuseBadArguments() throws Exception {
        String name = TestNames.unique("rpc-n");
        assertEquals("name", assertThrows(NullPointerException.class,
                () -> RpcServer.create(null, Codec.utf8(), Codec.utf8(), s -> s)).getMessage());
        assertEquals("handler", assertThrows(NullPointerException.class,
                () -> RpcServer.create(name, Codec.utf8(), Codec.utf8(), null)).getMessage());
        assertEquals("options", assertThrows(NullPointerException.class,
                () -> RpcServer.create(name, Codec.utf8(), Codec.utf8(), s -> s, null)).getMessage());
        assertThrows(NotFoundException.class, () -> RpcClient.open(name, Codec.utf8(), Codec.utf8()));
        assertThrows(org.panamaipc.InvalidNameException.class,
                () -> RpcServer.create("/" + "n".repeat(RpcServer.MAX_NAME_BYTES + 1), Codec.utf8(), Codec.utf8(), s -> s));
        assertThrows(IllegalArgumentException.class, () -> RpcOptions.defaults().workers(0));
        assertThrows(IllegalArgumentException.class, () -> RpcOptions.defaults().capacity(0));
        try (RpcServer<String, String> server = RpcServer.create(name, Codec.utf8(), Codec.utf8(), s -> s);
             RpcClient<String, String> client = RpcClient.open(name, Codec.utf8(), Codec.utf8())) {
            assertThrows(AlreadyExistsException.class, () -> RpcServer.create(name, Codec.utf8(), Codec.utf8(), s -> s));
            assertEquals("request", assertThrows(NullPointerException.class, () -> client.call(null, LONG)).getMessage());
            assertEquals("request", assertThrows(NullPointerException.class, () -> client.callAsync(null)).getMessage());
            assertEquals("timeout", assertThrows(NullPointerException.class, () -> client.call("a", null)).getMessage());
            assertEquals("timeout", assertThrows(NullPointerException.class, () -> client.callAsync("a", null)).getMessage());
            assertEquals(0, client.pending());
            assertEquals("a", client.call("a", LONG));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
