package org.panamaipc.internal;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
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
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.sync.MutexDescriptor;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.attribute.LocalVariableInfo;
import java.lang.classfile.attribute.LocalVariableTableAttribute;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every public method and constructor of the shared-memory, primitive, process and message-queue
 * families, called with {@code null} for one reference parameter at a time (the others valid):
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
            RingChannel.class, ChannelOptions.class, EndpointInfo.class);

    private static final Arena ARENA = Arena.ofShared();
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
        RECEIVERS.put(InvalidSegmentException.class, new InvalidSegmentException("/x",
                InvalidSegmentException.Reason.CORRUPT, "test"));
        RECEIVERS.put(RingChannel.class, track(RingChannel.create(name("ring"), ChannelOptions.of(ChannelType.MPMC))));
        RECEIVERS.put(ChannelOptions.class, ChannelOptions.of(ChannelType.SPSC));
        RECEIVERS.put(EndpointInfo.class, new EndpointInfo(0, EndpointInfo.Role.SENDER, ProcessId.current(), true,
                false, false, 0, 0, 0));
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        for (AutoCloseable c : OPEN.reversed()) {
            c.close();
        }
        for (String name : NAMES) {
            SharedMemory.unlinkIfExists(name);
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNameTheNullParameterOfEveryPublicEntryPointBeforeAnySystemCall() throws Exception {
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (Class<?> type : CLASSES) {
            ClassModel classFile = classFile(type);
            for (Executable entry : publicEntryPoints(type)) {
                Class<?>[] parameters = entry.getParameterTypes();
                for (int i = 0; i < parameters.length; i++) {
                    if (parameters[i].isPrimitive()) {
                        continue;
                    }
                    calls++;
                    String expected = parameterName(classFile, entry, i);
                    String fresh = name("fresh");
                    Object[] args = arguments(parameters, i, fresh);
                    String problem = check(entry, args, expected);
                    if (problem == null && objectExists(fresh)) {
                        problem = "made a system call before the check: " + fresh + " exists";
                    }
                    if (problem != null) {
                        problems.add(describe(entry) + " with null " + expected + ": " + problem);
                    }
                }
            }
        }
        assertTrue(calls > 80, "only " + calls + " calls made: the walk found too little");
        assertEquals(List.of(), problems, problems.size() + " of " + calls + " calls");
    }

    private static String check(Executable entry, Object[] args, String expected) {
        Object receiver = Modifier.isStatic(entry.getModifiers()) || entry instanceof Constructor<?>
                ? null : RECEIVERS.get(entry.getDeclaringClass());
        try {
            if (entry instanceof Method method) {
                method.invoke(receiver, args);
            } else {
                ((Constructor<?>) entry).newInstance(args);
            }
            return "returned normally";
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof NullPointerException)) {
                return "threw " + cause;
            }
            if (!expected.equals(cause.getMessage())) {
                return "NullPointerException says \"" + cause.getMessage() + "\"";
            }
            return null;
        } catch (ReflectiveOperationException e) {
            return "cannot call: " + e;
        }
    }

    private static List<Executable> publicEntryPoints(Class<?> type) {
        List<Executable> entries = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            int modifiers = method.getModifiers();
            if (!Modifier.isPublic(modifiers) || method.isSynthetic() || method.isBridge()
                    || method.getName().equals("equals") && method.getParameterCount() == 1
                    || type.isEnum() && method.getName().equals("valueOf")) {
                continue;
            }
            entries.add(method);
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(constructor.getModifiers()) && !type.isEnum()) {
                entries.add(constructor);
            }
        }
        entries.sort((a, b) -> a.toString().compareTo(b.toString()));
        return entries;
    }

    /** Valid arguments for every parameter but {@code nullAt}. */
    private static Object[] arguments(Class<?>[] types, int nullAt, String fresh) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = i == nullAt ? null : sample(types[i], fresh);
        }
        return args;
    }

    private static Object sample(Class<?> type, String fresh) {
        Map<Class<?>, Supplier<Object>> samples = Map.ofEntries(
                Map.entry(int.class, () -> 1),
                Map.entry(long.class, () -> 64L),
                Map.entry(boolean.class, () -> false),
                Map.entry(String.class, () -> fresh),
                Map.entry(Duration.class, () -> Duration.ofMillis(1)),
                Map.entry(MemorySegment.class, () -> ARENA.allocate(64, 64)),
                Map.entry(ByteBuffer.class, () -> ByteBuffer.allocate(64)),
                Map.entry(byte[].class, () -> new byte[1]),
                Map.entry(Codec.class, Codec::bytes),
                Map.entry(Object.class, () -> new byte[1]),
                Map.entry(MessageQueue.class, () -> RECEIVERS.get(MessageQueue.class)),
                Map.entry(QueueOptions.class, () -> QueueOptions.of(4, 64)),
                Map.entry(SharedMemory.class, () -> track(SharedMemory.anonymous(4096))),
                Map.entry(ChannelOptions.class, () -> ChannelOptions.of(ChannelType.SPSC)),
                Map.entry(WaitStrategy.class, WaitStrategy::busySpin),
                Map.entry(ProcessId.class, ProcessId::current));
        Supplier<Object> sample = samples.get(type);
        if (sample != null) {
            return sample.get();
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isInterface()) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
        }
        throw new AssertionError("no sample value for a parameter of type " + type + ": add one");
    }

    private static boolean objectExists(String name) throws IOException {
        return Files.exists(Path.of("/dev/shm" + name)) || Files.exists(Path.of("/dev/mqueue" + name));
    }

    private static ClassModel classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return ClassFile.of().parse(in.readAllBytes());
        }
    }

    /** The name javac recorded for parameter {@code index} (the local variable table of a build with {@code -g}). */
    private static String parameterName(ClassModel classFile, Executable entry, int index) {
        String name = entry instanceof Constructor<?> ? "<init>" : entry.getName();
        MethodTypeDesc descriptor = entry instanceof Method method
                ? MethodTypeDesc.of(method.getReturnType().describeConstable().orElseThrow(), descs(entry))
                : MethodTypeDesc.of(void.class.describeConstable().orElseThrow(), descs(entry));
        int slot = Modifier.isStatic(entry.getModifiers()) ? 0 : 1;
        Class<?>[] types = entry.getParameterTypes();
        for (int i = 0; i < index; i++) {
            slot += types[i] == long.class || types[i] == double.class ? 2 : 1;
        }
        for (MethodModel method : classFile.methods()) {
            if (method.methodName().equalsString(name) && method.methodTypeSymbol().equals(descriptor)) {
                Optional<CodeAttribute> code = method.findAttribute(java.lang.classfile.Attributes.code());
                if (code.isEmpty()) {
                    break;
                }
                for (var attribute : code.get().attributes()) {
                    if (attribute instanceof LocalVariableTableAttribute table) {
                        for (LocalVariableInfo variable : table.localVariables()) {
                            if (variable.slot() == slot && variable.startPc() == 0) {
                                return variable.name().stringValue();
                            }
                        }
                    }
                }
            }
        }
        return "parameter " + index + " (no name in the class file)";
    }

    private static java.lang.constant.ClassDesc[] descs(Executable entry) {
        return Arrays.stream(entry.getParameterTypes())
                .map(type -> type.describeConstable().orElseThrow())
                .toArray(java.lang.constant.ClassDesc[]::new);
    }

    private static String describe(Executable entry) {
        String params = String.join(", ", Arrays.stream(entry.getParameterTypes()).map(Class::getSimpleName).toList());
        String name = entry instanceof Constructor<?> ? "new " + entry.getDeclaringClass().getSimpleName()
                : entry.getDeclaringClass().getSimpleName() + "." + entry.getName();
        return name + "(" + params + ")";
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
