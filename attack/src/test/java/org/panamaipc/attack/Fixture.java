package org.panamaipc.attack;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.MessageQueueSelector;
import org.panamaipc.mq.TypedMessageQueue;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Executable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * The objects one bad-input case works on, and plausible arguments for every parameter but the
 * one under attack. Everything it creates is closed, and every name it handed out unlinked, by
 * {@link #close()}.
 */
final class Fixture implements AutoCloseable {

    /** A record of primitive fields, for the record codec. */
    record Tick(long instrument, int quantity) {
    }

    /** A record the record codec must refuse (a component that is not primitive). */
    record NotPrimitive(String text) {
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    final Arena arena = Arena.ofShared();
    /** The newer families' objects. */
    final FamilyFixture families = new FamilyFixture(this);

    /** {@return {@code path}, remembered as the name of what is made there (for {@link #lastName()})} */
    java.nio.file.Path named(java.nio.file.Path path) {
        paths.add(path.toString());
        return path;
    }

    /** {@return a fresh POSIX name, unlinked (as shared memory and as a queue) when the fixture closes} */
    String fresh(String label) {
        String name = TestNames.unique("atk-matrix-" + label);
        names.add(name);
        return name;
    }

    <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    SharedMemory shm() {
        return keep(SharedMemory.create(fresh("shm"), 4096));
    }

    IpcSegment segment() {
        return keep(IpcSegment.create(fresh("segment"), SegmentKind.MUTEX, 64, SharedMemory.DEFAULT_MODE, body -> { }));
    }

    Futex futex() {
        return Futex.of(shm().segment(), 0);
    }

    IpcMutex mutex() {
        return keep(IpcMutex.create(fresh("mutex")));
    }

    IpcSemaphore semaphore(int permits) {
        return keep(IpcSemaphore.create(fresh("semaphore"), permits));
    }

    IpcEvent event() {
        return keep(IpcEvent.create(fresh("event"), IpcEvent.Type.MANUAL_RESET));
    }

    IpcLatch latch(int count) {
        return keep(IpcLatch.create(fresh("latch"), count));
    }

    RingChannel channel(ChannelType type) {
        return keep(RingChannel.create(fresh("ring"), ChannelOptions.of(type).capacity(4096).maxMessageLength(256)));
    }

    Sender sender(RingChannel channel) {
        return keep(channel.sender(WaitStrategy.blocking()));
    }

    Receiver receiver(RingChannel channel) {
        return keep(channel.receiver(WaitStrategy.blocking(), true));
    }

    MessageQueue queue(int maxMessages, int maxMessageSize) {
        return keep(MessageQueue.create(fresh("mq"), QueueOptions.of(maxMessages, maxMessageSize)));
    }

    MessageQueueSelector selector(MessageQueue queue) {
        MessageQueueSelector selector = keep(MessageQueueSelector.open());
        selector.register(queue, MessageQueueSelector.READABLE);
        return selector;
    }

    /** A native, 8-aligned, writable region of 64 KiB that is not shared memory. */
    MemorySegment memory() {
        return arena.allocate(1 << 16, 64);
    }

    private String lastName;

    /** {@return the name of the object {@link #instanceOf} made last, or null if it has none} */
    String lastName() {
        return lastName;
    }

    /** {@return a fresh instance of API type {@code type}, with what it needs around it} */
    Object instanceOf(Class<?> type) {
        int before = names.size();
        int beforePaths = paths.size();
        Object made;
        try {
            made = make(type);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a " + type.getSimpleName(), e);
        }
        lastName = type == MessageQueueSelector.class || type == Futex.class || type == org.panamaipc.sync.EventCounter.class
                || type == org.panamaipc.socket.Received.class ? null
                : names.size() > before ? names.get(before) : paths.size() > beforePaths ? paths.get(beforePaths) : null;
        return made;
    }

    private Object make(Class<?> type) throws InterruptedException {
        Object family = families.make(type);
        if (family != null) {
            return family;
        }
        if (type == SharedMemory.class) {
            return shm();
        } else if (type == IpcSegment.class) {
            return segment();
        } else if (type == Futex.class) {
            return futex();
        } else if (type == IpcMutex.class) {
            return mutex();
        } else if (type == IpcSemaphore.class) {
            return semaphore(1);
        } else if (type == IpcEvent.class) {
            return event();
        } else if (type == IpcLatch.class) {
            return latch(1);
        } else if (type == RingChannel.class) {
            return channel(ChannelType.MPMC);
        } else if (type == Sender.class) {
            RingChannel c = channel(ChannelType.MPMC);
            receiver(c);
            return sender(c);
        } else if (type == Receiver.class) {
            RingChannel c = channel(ChannelType.MPMC);
            Receiver r = receiver(c);
            sender(c).trySend(1, new byte[8]); // a message waits: a receive that ignores a bad argument returns at once
            return r;
        } else if (type == MessageQueue.class) {
            return queue(4, 64);
        } else if (type == TypedMessageQueue.class) {
            return keep(queue(4, 64).typed(Codec.bytes()));
        } else if (type == MessageQueueSelector.class) {
            return selector(queue(4, 64));
        } else if (type == ChannelOptions.class) {
            return ChannelOptions.of(ChannelType.MPMC);
        } else if (type == Message.class) {
            return new Message(new byte[1], 0);
        } else if (type == ProcessId.class) {
            return ProcessId.current();
        } else if (type == RecordCodec.class) {
            return Codec.ofRecord(Tick.class);
        }
        throw new IllegalArgumentException("no fixture for " + type);
    }

    /**
     * {@return a plausible value for parameter {@code name} of type {@code type} of {@code executable}}
     * Names ask for a fresh name for methods that create, an existing one otherwise.
     */
    Object arg(Executable executable, Class<?> type, String name, Object target) {
        String method = executable.getName();
        if (type == String.class) {
            if (name.equals("name") && (method.equals("open") || method.equals("validate"))) {
                return existingName(executable.getDeclaringClass());
            }
            return name.equals("name") ? fresh("arg") : "instrument";
        }
        if (type == int.class) {
            return switch (name) {
                case "maxMessages" -> 4;
                case "maxMessageSize" -> 64;
                case "mode" -> 0600;
                case "priority", "expected", "offset" -> 0;
                case "interest" -> MessageQueueSelector.READABLE;
                case "length" -> 8;
                case "pid" -> ProcessId.current().pid();
                case "index" -> 0; // the first descriptor of a Received
                default -> 1;
            };
        }
        if (type == long.class) {
            return switch (name) {
                case "size", "capacity" -> 4096L;
                case "newSize" -> 8192L;
                case "bodySize", "minBodySize" -> 64L;
                case "timeoutNanos" -> 1_000_000L;
                case "count" -> 1L; // EventCounter.add
                default -> 0L;
            };
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == Duration.class) {
            return Duration.ofMillis(10);
        }
        if (type == MemorySegment.class) {
            if (method.equals("validate")) {
                return segment().memory().segment(); // a valid segment: only the argument under attack is wrong
            }
            if (name.equals("message")) {
                return memory().asSlice(0, 8); // a message that fits every queue of the fixture
            }
            return name.equals("region") || name.equals("memory") ? shm().segment() : memory();
        }
        if (type == MemorySegment[].class) {
            return new MemorySegment[] {memory().asSlice(0, 8)}; // a batch of one message that fits (Sender's batch sends)
        }
        if (type == byte[].class) {
            return new byte[8];
        }
        if (type == ByteBuffer.class) {
            return name.equals("into") ? ByteBuffer.allocateDirect(1 << 16) : ByteBuffer.allocateDirect(8);
        }
        if (type == MessageHandler.class) {
            return (MessageHandler) (h, b, o, l) -> { };
        }
        if (type == Consumer.class) {
            return (Consumer<Object>) x -> { };
        }
        if (type == ObjIntConsumer.class) {
            return (ObjIntConsumer<Object>) (x, i) -> { };
        }
        if (type == Codec.class) {
            // TypedMessageQueue.create needs a codec of fixed size
            return method.equals("create") ? Codec.ofRecord(Tick.class) : Codec.bytes();
        }
        if (type == Class.class) {
            return Tick.class;
        }
        if (type == MethodHandles.Lookup.class) {
            return MethodHandles.lookup();
        }
        if (type == SegmentKind.class) {
            return SegmentKind.MUTEX;
        }
        if (type == ChannelOptions.class) {
            return ChannelOptions.of(ChannelType.MPMC).capacity(4096);
        }
        if (type == WaitStrategy.class) {
            return WaitStrategy.blocking();
        }
        if (type == ChannelType.class) {
            return ChannelType.MPMC;
        }
        if (type == QueueOptions.class) {
            return QueueOptions.of(4, 64);
        }
        if (type == org.panamaipc.Access.class) {
            return org.panamaipc.Access.READ_WRITE;
        }
        if (type == IpcEvent.Type.class) {
            return IpcEvent.Type.MANUAL_RESET;
        }
        if (type == MessageQueue.class) {
            return queue(4, 64);
        }
        if (type == SharedMemory.class) {
            // memory without a name, large enough for any layout the calls that take it lay out
            return keep(SharedMemory.anonymous(1 << 20));
        }
        if (type == java.util.Set.class) {
            return java.util.Set.of(org.panamaipc.shm.Seal.SHRINK, org.panamaipc.shm.Seal.GROW);
        }
        if (type == Record.class) {
            return new Tick(1, 2);
        }
        Object family = families.arg(executable, type, name);
        if (family != FamilyFixture.NONE) {
            return family;
        }
        if (type == Object.class) {
            return target instanceof RecordCodec<?> ? new Tick(1, 2) : target instanceof Codec<?> c && c == Codec.utf8()
                    ? "text" : new byte[8];
        }
        throw new IllegalArgumentException("no argument of " + type + " for " + executable);
    }

    private String existingName(Class<?> type) {
        if (type == MessageQueue.class) {
            return queue(4, 64).name();
        }
        if (type == RingChannel.class) {
            return channel(ChannelType.MPMC).name();
        }
        String name = fresh("existing");
        switch (type.getSimpleName()) {
            case "IpcMutex" -> keep(IpcMutex.create(name));
            case "IpcSemaphore" -> keep(IpcSemaphore.create(name, 1));
            case "IpcEvent" -> keep(IpcEvent.create(name, IpcEvent.Type.MANUAL_RESET));
            case "IpcLatch" -> keep(IpcLatch.create(name, 1));
            case "IpcSegment", "SegmentHeaderDescriptor" -> keep(IpcSegment.create(name, SegmentKind.MUTEX, 64,
                    SharedMemory.DEFAULT_MODE, body -> { }));
            default -> keep(SharedMemory.create(name, 4096));
        }
        return name;
    }

    /** Removes every name handed out; what is still open stays mapped until this JVM ends. */
    void unlinkNames() {
        for (String name : names) {
            SharedMemory.unlinkIfExists(name);
            MessageQueue.unlinkIfExists(name);
            // what an unbounded link or a mailbox keeps beside its name: its ring (NAME.ring) and spill segments
            org.panamaipc.unbounded.UnboundedLink.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(name + ".ring");
        }
        families.delete();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception | Error ignored) {
                // a case may have closed it, or left it unusable on purpose; the names go below
            }
        }
        unlinkNames();
        try {
            arena.close();
        } catch (IllegalStateException stillInUse) {
            // a thread of a case still uses it; it goes with the JVM
        }
    }
}
