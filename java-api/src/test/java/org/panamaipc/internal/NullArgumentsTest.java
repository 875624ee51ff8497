package org.panamaipc.internal;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastHeader;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.EndpointInfo;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.MessageQueueLimits;
import org.panamaipc.mq.MessageQueueSelector;
import org.panamaipc.mq.QueueMessageHeader;
import org.panamaipc.mq.TypedMessageQueue;
import org.panamaipc.process.ProcessId;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousHeader;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.EventCounter;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.sync.MutexDescriptor;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;
import org.panamaipc.unbounded.LinkHeader;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedOptions;
import org.panamaipc.unbounded.UnboundedReceiver;
import org.panamaipc.unbounded.UnboundedSender;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every public method and constructor of the shared-memory, primitive, process, message-queue,
 * broadcast and rendezvous families, called with {@code null} for one reference parameter at a time (the others valid):
 * each throws {@link NullPointerException} whose message is the parameter's name, as
 * docs/conventions.md says, and makes no system call first (no object of the name given is left
 * behind). Parameter names come from the class files' local variable tables. Regression cases for
 * issue 10, defect 8.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class NullArgumentsTest {

    private static final List<Class<?>> CLASSES = List.of(
            ProcessId.class,
            SharedMemory.class, IpcSegment.class, InvalidSegmentException.class, SegmentKind.class,
            Futex.class, IpcMutex.class, IpcSemaphore.class, IpcEvent.class, IpcLatch.class,
            MessageQueue.class, MessageQueueSelector.class, TypedMessageQueue.class, Message.class,
            MessageQueueLimits.class, QueueOptions.class, QueueMessageHeader.class,
            RingChannel.class, ChannelOptions.class, EndpointInfo.class, EventCounter.class,
            Broadcast.class, BroadcastOptions.class, Publisher.class, Subscriber.class, BroadcastHeader.class,
            SlowSubscriberPolicy.class,
            Rendezvous.class, RendezvousOptions.class, RendezvousSender.class, RendezvousReceiver.class,
            RendezvousHeader.class,
            UnboundedLink.class, UnboundedOptions.class, UnboundedSender.class, UnboundedReceiver.class, LinkHeader.class);

    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static final List<String> NAMES = new ArrayList<>();
    private static final Map<Class<?>, Object> RECEIVERS = new HashMap<>();

    @BeforeAll
    static void openReceivers() {
        SharedMemory shm = track(SharedMemory.create(name("shm"), 4096));
        RECEIVERS.put(SharedMemory.class, shm);
        RECEIVERS.put(IpcSegment.class, track(IpcSegment.create(name("segment"), SegmentKind.MUTEX,
                MutexDescriptor.SIZE, SharedMemory.DEFAULT_MODE, body -> { })));
        RECEIVERS.put(Futex.class, Futex.of(shm.segment(), 0));
        RECEIVERS.put(IpcMutex.class, track(IpcMutex.create(name("mutex"))));
        RECEIVERS.put(IpcSemaphore.class, track(IpcSemaphore.create(name("sem"), 1)));
        RECEIVERS.put(IpcEvent.class, track(IpcEvent.create(name("event"), IpcEvent.Type.MANUAL_RESET)));
        RECEIVERS.put(IpcLatch.class, track(IpcLatch.create(name("latch"), 1)));
        MessageQueue queue = track(MessageQueue.create(name("queue"), QueueOptions.of(4, 64)));
        RECEIVERS.put(MessageQueue.class, queue);
        RECEIVERS.put(MessageQueueSelector.class, track(MessageQueueSelector.open()));
        RECEIVERS.put(TypedMessageQueue.class, queue.typed(Codec.bytes()));
        RECEIVERS.put(Message.class, new Message(new byte[1], 0));
        RECEIVERS.put(MessageQueueLimits.class, MessageQueueLimits.current());
        RECEIVERS.put(QueueOptions.class, QueueOptions.of(4, 64));
        RECEIVERS.put(QueueMessageHeader.class, queue.lastHeader());
        RECEIVERS.put(ProcessId.class, ProcessId.current());
        Broadcast broadcast = track(Broadcast.create(name("broadcast"), BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(4)));
        RECEIVERS.put(Broadcast.class, broadcast);
        RECEIVERS.put(BroadcastOptions.class, BroadcastOptions.of(SlowSubscriberPolicy.BLOCK));
        RECEIVERS.put(Publisher.class, broadcast.publisher());
        Subscriber subscriber = broadcast.subscribe();
        RECEIVERS.put(Subscriber.class, subscriber);
        RECEIVERS.put(BroadcastHeader.class, subscriber.lastHeader());
        Rendezvous rendezvous = track(Rendezvous.create(name("rendezvous"), RendezvousOptions.of(64)));
        RECEIVERS.put(Rendezvous.class, rendezvous);
        RECEIVERS.put(RendezvousOptions.class, RendezvousOptions.of(64));
        RECEIVERS.put(RendezvousSender.class, rendezvous.sender());
        RendezvousReceiver receiver = rendezvous.receiver();
        RECEIVERS.put(RendezvousReceiver.class, receiver);
        RECEIVERS.put(RendezvousHeader.class, receiver.lastHeader());
        UnboundedLink link = track(UnboundedLink.create(name("unbounded"), UnboundedOptions.of(64).ringCapacity(1024)));
        RECEIVERS.put(UnboundedLink.class, link);
        RECEIVERS.put(UnboundedOptions.class, UnboundedOptions.of(64));
        RECEIVERS.put(UnboundedSender.class, link.sender());
        UnboundedReceiver linkReceiver = link.receiver();
        RECEIVERS.put(UnboundedReceiver.class, linkReceiver);
        RECEIVERS.put(LinkHeader.class, linkReceiver.lastHeader());
        RECEIVERS.put(InvalidSegmentException.class, new InvalidSegmentException("/x",
                InvalidSegmentException.Reason.CORRUPT, "test"));
        RECEIVERS.put(RingChannel.class, track(RingChannel.create(name("ring"), ChannelOptions.of(ChannelType.MPMC))));
        RECEIVERS.put(ChannelOptions.class, ChannelOptions.of(ChannelType.SPSC));
        RECEIVERS.put(EventCounter.class, track(EventCounter.create()));
        RECEIVERS.put(EndpointInfo.class, new EndpointInfo(0, EndpointInfo.Role.SENDER, ProcessId.current(), true,
                false, false, 0, 0, 0));
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        for (AutoCloseable c : OPEN.reversed()) {
            c.close();
        }
        for (String name : NAMES) {
            UnboundedLink.unlinkIfExists(name); // the name, and the parts of a link by that name
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNameTheNullParameterOfEveryPublicEntryPointBeforeAnySystemCall() throws Exception {
        NullArgumentWalk walk = new NullArgumentWalk(RECEIVERS, samples(), Map.of(), () -> name("fresh"),
                NullArgumentsTest::objectExists);
        NullArgumentWalk.Result result = walk.walk(CLASSES);
        assertTrue(result.calls() > 80, "only " + result.calls() + " calls made: the walk found too little");
        assertEquals(List.of(), result.problems(), result.problems().size() + " of " + result.calls() + " calls");
    }

    private static Map<Class<?>, Function<String, Object>> samples() {
        return Map.ofEntries(
                Map.entry(Codec.class, fresh -> Codec.bytes()),
                Map.entry(MessageQueue.class, fresh -> RECEIVERS.get(MessageQueue.class)),
                Map.entry(QueueOptions.class, fresh -> QueueOptions.of(4, 64)),
                Map.entry(SharedMemory.class, fresh -> track(SharedMemory.anonymous(4096))),
                Map.entry(ChannelOptions.class, fresh -> ChannelOptions.of(ChannelType.SPSC)),
                Map.entry(WaitStrategy.class, fresh -> WaitStrategy.busySpin()),
                Map.entry(ProcessId.class, fresh -> ProcessId.current()),
                Map.entry(BroadcastOptions.class, fresh -> BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(4)),
                Map.entry(RendezvousOptions.class, fresh -> RendezvousOptions.of(64)),
                Map.entry(UnboundedOptions.class, fresh -> UnboundedOptions.of(64).ringCapacity(1024)));
    }

    private static boolean objectExists(String name) {
        return Files.exists(Path.of("/dev/shm" + name)) || Files.exists(Path.of("/dev/mqueue" + name));
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        OPEN.add(closeable);
        return closeable;
    }

    private static String name(String label) {
        String name = TestNames.unique("null-" + label);
        NAMES.add(name);
        return name;
    }
}
