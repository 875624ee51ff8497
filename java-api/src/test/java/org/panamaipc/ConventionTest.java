package org.panamaipc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.MessageQueueSelector;
import org.panamaipc.mq.QueueMessageHeader;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.TypedMessageQueue;
import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastHandler;
import org.panamaipc.broadcast.BroadcastHeader;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.Subscriber;
import org.panamaipc.codec.Codec;
import org.panamaipc.endpoint.Endpoint;
import org.panamaipc.endpoint.EndpointRegistry;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.message.RecordHandler;
import org.panamaipc.message.TypedReceiver;
import org.panamaipc.message.TypedSender;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousHandler;
import org.panamaipc.rendezvous.RendezvousHeader;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import org.panamaipc.unbounded.LinkHandler;
import org.panamaipc.unbounded.LinkHeader;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedOptions;
import org.panamaipc.unbounded.UnboundedReceiver;
import org.panamaipc.unbounded.UnboundedSender;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.EventCounter;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds the public classes to docs/conventions.md (and the table in the README): every operation
 * that can wait comes in three forms with the documented names and return types, and every named
 * object has the lifecycle verbs. Walks the classes by reflection, so a form that goes missing or
 * changes its return type fails here.
 *
 * <p>A family is a row of {@link #families()}: its class, whether it is a named object, and its
 * operations.
 */
class ConventionTest {

    /**
     * One operation that can wait, in its three forms: {@code tryName(params)} returns at once,
     * {@code blockingName(params)} waits as long as it takes, {@code timedName(params, Duration)}
     * waits at most that long. The try form declares no {@link InterruptedException}; the other two do.
     */
    record Operation(String tryName, String blockingName, String timedName, List<Class<?>> parameters,
                     Class<?> tryReturns, Class<?> blockingReturns) {
        static Operation of(String tryName, String blockingName, String timedName, Class<?> tryReturns,
                            Class<?> blockingReturns, Class<?>... parameters) {
            return new Operation(tryName, blockingName, timedName, List.of(parameters), tryReturns, blockingReturns);
        }

        @Override
        public String toString() {
            return tryName + "/" + blockingName + "/" + timedName + parameters.stream().map(Class::getSimpleName).toList();
        }
    }

    /**
     * A family: its class, its operations, and if it is a named object the parameters of its
     * {@code open} (just the name, unless it needs to know more), and of the {@code create} and
     * {@code openOrCreate} that take a mode (the name first; the mode an {@code int}, or in
     * options with a {@code mode(int)}); {@code null} if it is not a named object.
     */
    record Family(Class<?> type, List<Class<?>> open, List<Class<?>> createWithMode,
                  List<Class<?>> openOrCreateWithMode, List<Operation> operations) {
        static Family named(Class<?> type, List<Class<?>> open, List<Class<?>> createWithMode,
                            List<Class<?>> openOrCreateWithMode, Operation... operations) {
            return new Family(type, open, createWithMode, openOrCreateWithMode, List.of(operations));
        }

        static Family named(Class<?> type, List<Class<?>> withMode, Operation... operations) {
            return named(type, List.of(String.class), withMode, withMode, operations);
        }

        boolean isNamed() {
            return createWithMode != null;
        }

        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    // the rows: "nothing happened" is false for locks, permits and events, FULL for a send (a long),
    // EMPTY for a receive into the caller's memory (an int), null for a receive of an object
    private static final Operation LOCK = Operation.of("tryLock", "lock", "tryLock", boolean.class, void.class);
    private static final Operation ACQUIRE = Operation.of("tryAcquire", "acquire", "tryAcquire", boolean.class, void.class);
    private static final Operation AWAIT = Operation.of("tryAwait", "await", "await", boolean.class, void.class);
    // the endpoints of broadcast and rendezvous: the ring's forms (a handler of their own header)
    private static final Operation SEND_SEGMENT = Operation.of("trySend", "send", "send", long.class, long.class,
            int.class, MemorySegment.class, long.class, int.class);
    private static final Operation SEND_ARRAY = Operation.of("trySend", "send", "send", long.class, long.class,
            int.class, byte[].class);
    private static final Operation RECEIVE_SEGMENT = Operation.of("tryReceive", "receive", "receive", int.class, int.class,
            MemorySegment.class, long.class);
    private static final Operation SEND_BUFFER = Operation.of("trySend", "send", "send", long.class, long.class,
            int.class, ByteBuffer.class);
    private static final Operation RECEIVE_BUFFER = Operation.of("tryReceive", "receive", "receive", int.class, int.class,
            ByteBuffer.class);
    private static final Operation RECEIVE_ARRAY = Operation.of("tryReceiveBytes", "receiveBytes", "receiveBytes",
            byte[].class, byte[].class);

    private static final Operation RECEIVE_VALUE = Operation.of("tryReceive", "receive", "receive", Object.class, Object.class);
    private static final Operation RECEIVE_IN_PLACE = Operation.of("poll", "receive", "receive", int.class, int.class,
            RecordHandler.class, int.class);
    private static final Operation[] MAILBOX_OPERATIONS = {
            Operation.of("trySend", "send", "send", long.class, long.class, Object.class),
            Operation.of("trySend", "send", "send", long.class, long.class, Object.class, int.class),
            RECEIVE_VALUE, RECEIVE_IN_PLACE};

    static Stream<Family> families() {
        return Stream.of(
                Family.named(SharedMemory.class, List.of(String.class, long.class, int.class)),
                Family.named(IpcSegment.class, List.of(String.class, SegmentKind.class, long.class),
                        List.of(String.class, SegmentKind.class, long.class, int.class, Consumer.class),
                        List.of(String.class, SegmentKind.class, long.class, int.class, Consumer.class, long.class)),
                Family.named(IpcMutex.class, List.of(String.class, int.class), LOCK),
                Family.named(IpcSemaphore.class, List.of(String.class, int.class, int.class), ACQUIRE),
                Family.named(IpcEvent.class, List.of(String.class, IpcEvent.Type.class, int.class), AWAIT),
                Family.named(IpcLatch.class, List.of(String.class, int.class, int.class), AWAIT),
                Family.named(MessageQueue.class, List.of(String.class, QueueOptions.class),
                        Operation.of("trySend", "send", "send", long.class, long.class, byte[].class, int.class),
                        Operation.of("trySend", "send", "send", long.class, long.class, ByteBuffer.class, int.class),
                        Operation.of("trySend", "send", "send", long.class, long.class, MemorySegment.class, int.class),
                        Operation.of("tryReceive", "receive", "receive", Message.class, Message.class),
                        Operation.of("tryReceive", "receive", "receive", int.class, int.class, MemorySegment.class),
                        Operation.of("tryReceive", "receive", "receive", int.class, int.class, ByteBuffer.class)),
                Family.named(TypedMessageQueue.class, List.of(String.class, Codec.class),
                        List.of(String.class, QueueOptions.class, Codec.class),
                        List.of(String.class, QueueOptions.class, Codec.class),
                        Operation.of("trySend", "send", "send", long.class, long.class, Object.class, int.class),
                        Operation.of("tryReceive", "receive", "receive", Object.class, Object.class)),
                Family.named(RingChannel.class, List.of(String.class, ChannelOptions.class)),
                // the ring's endpoints: not named objects, but every operation in three forms
                new Family(Sender.class, null, null, null, List.of(
                        Operation.of("trySend", "send", "send", long.class, long.class,
                                int.class, MemorySegment.class, long.class, int.class),
                        Operation.of("trySend", "send", "send", long.class, long.class,
                                int.class, MemorySegment[].class, int.class, int.class),
                        Operation.of("trySend", "send", "send", long.class, long.class, int.class, byte[].class),
                        Operation.of("trySend", "send", "send", long.class, long.class, int.class, ByteBuffer.class),
                        Operation.of("tryClaim", "claim", "claim", long.class, long.class, int.class, int.class))),
                new Family(Receiver.class, null, null, null, List.of(
                        Operation.of("poll", "receive", "receive", int.class, int.class, MessageHandler.class, int.class),
                        Operation.of("tryReceive", "receive", "receive", int.class, int.class, MemorySegment.class, long.class),
                        Operation.of("tryReceive", "receive", "receive", int.class, int.class, ByteBuffer.class),
                        Operation.of("tryReceiveBytes", "receiveBytes", "receiveBytes", byte[].class, byte[].class))),
                // not a named object: it travels as a descriptor
                new Family(EventCounter.class, null, null, null, List.of(
                        Operation.of("tryTake", "take", "take", long.class, long.class))),
                Family.named(Mailbox.class, List.of(String.class, Codec.class),
                        List.of(String.class, MailboxOptions.class, Codec.class),
                        List.of(String.class, MailboxOptions.class, Codec.class), MAILBOX_OPERATIONS),
                Family.named(Port.class, List.of(String.class, Codec.class),
                        List.of(String.class, MailboxOptions.class, Codec.class),
                        List.of(String.class, MailboxOptions.class, Codec.class), MAILBOX_OPERATIONS),
                Family.named(EndpointRegistry.class, List.of(String.class, int.class, int.class)),
                // not named objects: endpoints of something named
                new Family(Endpoint.class, null, null, null, List.of(
                        Operation.of("trySend", "send", "send", long.class, long.class, String.class, Object.class),
                        Operation.of("tryReply", "reply", "reply", long.class, long.class, long.class, Object.class),
                        RECEIVE_VALUE, RECEIVE_IN_PLACE)),
                new Family(TypedSender.class, null, null, null, List.of(
                        Operation.of("trySend", "send", "send", long.class, long.class, Object.class),
                        Operation.of("tryClaim", "claim", "claim", long.class, long.class))),
                new Family(TypedReceiver.class, null, null, null, List.of(RECEIVE_VALUE, RECEIVE_IN_PLACE)),
                // not named objects of the usual kind: a server is created and goes with its owner, a
                // client opens a server; calls have no try form (shouldGiveRpcTheConventionsShape)
                new Family(org.panamaipc.rpc.RpcServer.class, null, null, null, List.of()),
                new Family(org.panamaipc.rpc.RpcClient.class, null, null, null, List.of()),
                // not a named object; java.nio.channels.Selector's names: selectNow, select, select(timeout)
                new Family(MessageQueueSelector.class, null, null, null, List.of(
                        Operation.of("selectNow", "select", "select", int.class, int.class))),
                // broadcast: the named object, and its two kinds of endpoint
                Family.named(Broadcast.class, List.of(String.class, BroadcastOptions.class)),
                new Family(Publisher.class, null, null, null, List.of(SEND_SEGMENT, SEND_ARRAY, SEND_BUFFER)),
                new Family(Subscriber.class, null, null, null, List.of(RECEIVE_SEGMENT, RECEIVE_BUFFER, RECEIVE_ARRAY,
                        Operation.of("poll", "receive", "receive", int.class, int.class, BroadcastHandler.class, int.class))),
                // rendezvous: the same forms on both sides
                Family.named(Rendezvous.class, List.of(String.class, RendezvousOptions.class)),
                new Family(RendezvousSender.class, null, null, null, List.of(SEND_SEGMENT, SEND_ARRAY, SEND_BUFFER)),
                new Family(RendezvousReceiver.class, null, null, null, List.of(RECEIVE_SEGMENT, RECEIVE_BUFFER, RECEIVE_ARRAY,
                        Operation.of("poll", "receive", "receive", int.class, int.class, RendezvousHandler.class, int.class))),
                // the unbounded link: sends never wait, but keep the three forms
                Family.named(UnboundedLink.class, List.of(String.class, UnboundedOptions.class)),
                new Family(UnboundedSender.class, null, null, null, List.of(SEND_SEGMENT, SEND_ARRAY, SEND_BUFFER)),
                new Family(UnboundedReceiver.class, null, null, null, List.of(RECEIVE_SEGMENT, RECEIVE_BUFFER, RECEIVE_ARRAY,
                        Operation.of("poll", "receive", "receive", int.class, int.class, LinkHandler.class, int.class))));
    }

    @ParameterizedTest
    @MethodSource("families")
    void shouldOfferEveryWaitingOperationInThreeForms(Family family) {
        List<String> problems = new ArrayList<>();
        for (Operation operation : family.operations()) {
            Class<?>[] parameters = operation.parameters().toArray(Class<?>[]::new);
            Class<?>[] timed = Stream.concat(operation.parameters().stream(), Stream.of(Duration.class))
                    .toArray(Class<?>[]::new);
            check(problems, family, operation.tryName(), parameters, operation.tryReturns(), false);
            check(problems, family, operation.blockingName(), parameters, operation.blockingReturns(), true);
            check(problems, family, operation.timedName(), timed, operation.tryReturns(), true);
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("families")
    void shouldOfferTheLifecycleOfANamedObject(Family family) {
        assertTrue(AutoCloseable.class.isAssignableFrom(family.type()), family + " is AutoCloseable");
        List<String> problems = new ArrayList<>();
        check(problems, family, "close", new Class<?>[0], void.class, false);
        if (family.isNamed()) {
            Class<?> type = family.type();
            checkStatic(problems, type, "unlink", void.class, String.class);
            checkStatic(problems, type, "unlinkIfExists", boolean.class, String.class);
            checkStatic(problems, type, "exists", boolean.class, String.class);
            checkStatic(problems, type, "open", type, family.open().toArray(Class<?>[]::new));
            checkStatic(problems, type, "create", type, family.createWithMode().toArray(Class<?>[]::new));
            checkStatic(problems, type, "openOrCreate", type, family.openOrCreateWithMode().toArray(Class<?>[]::new));
            check(problems, family, "unlink", new Class<?>[0], void.class, false);
            check(problems, family, "created", new Class<?>[0], boolean.class, false);
        }
        assertEquals(List.of(), problems);
    }

    /**
     * RPC: a call waits as long as it takes or at most a {@code Duration} (last), declaring
     * {@link InterruptedException}; its asynchronous form returns a {@code CompletableFuture}
     * without declaring it; a server has the static name verbs of a port, and its options a mode.
     */
    @Test
    void shouldGiveRpcTheConventionsShape() throws Exception {
        Class<?> client = org.panamaipc.rpc.RpcClient.class;
        Class<?> server = org.panamaipc.rpc.RpcServer.class;
        for (Class<?>[] parameters : List.of(new Class<?>[] {Object.class}, new Class<?>[] {Object.class, Duration.class})) {
            Method call = client.getMethod("call", parameters);
            assertEquals(Object.class, call.getReturnType());
            assertTrue(Arrays.asList(call.getExceptionTypes()).contains(InterruptedException.class), call.toString());
            Method async = client.getMethod("callAsync", parameters);
            assertEquals(java.util.concurrent.CompletableFuture.class, async.getReturnType());
            assertEquals(List.of(), Arrays.asList(async.getExceptionTypes()), async.toString());
        }
        assertEquals(void.class, server.getMethod("unlink", String.class).getReturnType());
        assertEquals(boolean.class, server.getMethod("unlinkIfExists", String.class).getReturnType());
        assertEquals(boolean.class, server.getMethod("exists", String.class).getReturnType());
        assertEquals(server, server.getMethod("create", String.class, Codec.class, Codec.class,
                java.util.function.Function.class, org.panamaipc.rpc.RpcOptions.class).getReturnType());
        assertEquals(client, client.getMethod("open", String.class, Codec.class, Codec.class,
                org.panamaipc.rpc.RpcOptions.class).getReturnType());
        assertEquals(org.panamaipc.rpc.RpcOptions.class,
                org.panamaipc.rpc.RpcOptions.class.getMethod("mode", int.class).getReturnType());
        assertTrue(java.lang.reflect.Modifier.isStatic(server.getMethod("unlink", String.class).getModifiers()));
    }

    /** Every public method that takes a {@link Duration} takes it last, as the timed forms do. */
    @ParameterizedTest
    @MethodSource("families")
    void shouldTakeTheDurationLast(Family family) {
        List<String> problems = new ArrayList<>();
        for (Method method : family.type().getMethods()) {
            List<Class<?>> parameters = Arrays.asList(method.getParameterTypes());
            int at = parameters.indexOf(Duration.class);
            if (at >= 0 && at != parameters.size() - 1) {
                problems.add(method.toString());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldSayNothingHappenedWithTheSameConstants() throws Exception {
        assertEquals(-1, Outcome.FULL);
        assertEquals(-1, Outcome.EMPTY);
        assertEquals(-2, Outcome.CLOSED);
        // the interfaces repeat them, typed as their results are: a send's long, a receive's int
        assertEquals(long.class, Sender.class.getField("FULL").getType());
        assertEquals(long.class, Sender.class.getField("CLOSED").getType());
        assertEquals(int.class, Receiver.class.getField("EMPTY").getType());
        assertEquals(int.class, Receiver.class.getField("CLOSED").getType());
        assertTrue(Sender.FULL == Outcome.FULL && Sender.CLOSED == Outcome.CLOSED);
        assertTrue(Receiver.EMPTY == Outcome.EMPTY && Receiver.CLOSED == Outcome.CLOSED);
        // no packed longs: the length and priority of a received message come from its header
        List<String> packed = Arrays.stream(MessageQueue.class.getMethods())
                .filter(m -> m.getName().endsWith("Of") && Modifier.isStatic(m.getModifiers()))
                .map(Method::toString).toList();
        assertEquals(List.of(), packed);
        assertEquals(QueueMessageHeader.class, MessageQueue.class.getMethod("lastHeader").getReturnType());
        assertEquals(QueueMessageHeader.class, TypedMessageQueue.class.getMethod("lastHeader").getReturnType());
        // the messaging families repeat the constants and have one header
        assertEquals(List.of((long) Outcome.FULL, (long) Outcome.CLOSED), List.of(Mailbox.FULL, Mailbox.CLOSED));
        assertEquals(List.of((long) Outcome.FULL, (long) Outcome.CLOSED), List.of(TypedSender.FULL, TypedSender.CLOSED));
        assertEquals(List.of((long) Outcome.FULL, (long) Outcome.CLOSED), List.of(Endpoint.FULL, Endpoint.CLOSED));
        assertEquals(Outcome.CLOSED, TypedReceiver.CLOSED);
        // their handler forms say EMPTY, typed as a receive's int
        for (Class<?> type : List.of(Mailbox.class, Endpoint.class, TypedReceiver.class)) {
            assertEquals(int.class, type.getField("EMPTY").getType(), type.getName());
            assertEquals(Outcome.EMPTY, type.getField("EMPTY").getInt(null), type.getName());
        }
        for (Class<?> type : List.of(Mailbox.class, Port.class, Endpoint.class, TypedReceiver.class)) {
            assertEquals(org.panamaipc.message.Header.class, type.getMethod("lastHeader").getReturnType(), type.getName());
        }
        // one Access for every family that opens with one
        assertEquals(Access.class, SharedMemory.class.getMethod("open", String.class, Access.class).getParameterTypes()[1]);
        assertEquals(Access.class, MessageQueue.class.getMethod("open", String.class, Access.class).getParameterTypes()[1]);
        // broadcast and rendezvous repeat the constants and keep the last header
        assertEquals(Outcome.FULL, Publisher.FULL);
        assertEquals(Outcome.EMPTY, Subscriber.EMPTY);
        assertEquals(Outcome.CLOSED, Subscriber.CLOSED);
        assertEquals(Outcome.FULL, RendezvousSender.FULL);
        assertEquals(Outcome.CLOSED, RendezvousSender.CLOSED);
        assertEquals(Outcome.EMPTY, RendezvousReceiver.EMPTY);
        assertEquals(Outcome.CLOSED, RendezvousReceiver.CLOSED);
        assertEquals(BroadcastHeader.class, Subscriber.class.getMethod("lastHeader").getReturnType());
        assertEquals(RendezvousHeader.class, RendezvousReceiver.class.getMethod("lastHeader").getReturnType());
        assertEquals(Outcome.EMPTY, UnboundedReceiver.EMPTY);
        assertEquals(Outcome.CLOSED, UnboundedReceiver.CLOSED);
        assertEquals(LinkHeader.class, UnboundedReceiver.class.getMethod("lastHeader").getReturnType());
        // the futex is the word the primitives are built on, with the Duration rule but no try form
        assertEquals(Futex.WaitResult.class, Futex.class.getMethod("wait", int.class, Duration.class).getReturnType());
    }

    private static void check(List<String> problems, Family family, String name, Class<?>[] parameters,
                              Class<?> returns, boolean interruptible) {
        String signature = family + "." + name + Arrays.stream(parameters).map(Class::getSimpleName).toList();
        Method method;
        try {
            method = family.type().getMethod(name, parameters);
        } catch (NoSuchMethodException missing) {
            problems.add(signature + " is missing");
            return;
        }
        if (Modifier.isStatic(method.getModifiers())) {
            problems.add(signature + " is static");
        }
        if (method.getReturnType() != returns) {
            problems.add(signature + " returns " + method.getReturnType().getSimpleName() + ", not " + returns.getSimpleName());
        }
        boolean declares = Arrays.asList(method.getExceptionTypes()).contains(InterruptedException.class);
        if (declares != interruptible) {
            problems.add(signature + (interruptible ? " does not declare" : " declares") + " InterruptedException");
        }
    }

    private static void checkStatic(List<String> problems, Class<?> type, String name, Class<?> returns,
                                    Class<?>... parameters) {
        try {
            Method method = type.getMethod(name, parameters);
            if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != returns
                    || method.getDeclaringClass() != type) {
                problems.add(type.getSimpleName() + "." + name + " is not a static method of its own returning "
                        + returns.getSimpleName());
            }
        } catch (NoSuchMethodException missing) {
            problems.add("static " + type.getSimpleName() + "." + name + Arrays.stream(parameters)
                    .map(Class::getSimpleName).toList() + " is missing");
        }
    }

}
