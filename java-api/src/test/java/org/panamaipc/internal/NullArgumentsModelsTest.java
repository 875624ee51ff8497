package org.panamaipc.internal;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.endpoint.Endpoint;
import org.panamaipc.endpoint.EndpointRegistry;
import org.panamaipc.message.Header;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.message.TypedReceiver;
import org.panamaipc.message.TypedSender;
import org.panamaipc.pipe.NamedPipe;
import org.panamaipc.pipe.PipeReader;
import org.panamaipc.pipe.PipeWriter;
import org.panamaipc.rpc.RpcClient;
import org.panamaipc.rpc.RpcOptions;
import org.panamaipc.rpc.RpcServer;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.Received;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule of {@link NullArgumentsTest} for the families built on the transports: ring endpoints,
 * typed messages, mailboxes, ports, named endpoints, request/reply, codecs, named pipes and the
 * descriptor-passing sockets. Every public method and constructor, called with {@code null} for one
 * reference parameter at a time, throws {@link NullPointerException} naming that parameter and
 * creates nothing first.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class NullArgumentsModelsTest {

    /** A record for the record codec's entry points. */
    record Sample(int id, long value) {
    }

    private static final List<Class<?>> CLASSES = List.of(
            Sender.class, Receiver.class,
            Codec.class, RecordCodec.class,
            TypedSender.class, TypedReceiver.class, Header.class,
            Mailbox.class, MailboxOptions.class, Port.class,
            EndpointRegistry.class, Endpoint.class,
            RpcServer.class, RpcClient.class, RpcOptions.class,
            NamedPipe.class, PipeReader.class, PipeWriter.class,
            DescriptorServer.class, DescriptorSocket.class, Attachments.class, Received.class);

    /** The name the endpoint entry points get: valid, and held by nobody. */
    private static final String ENDPOINT = "nobody-here";

    private static final Arena ARENA = Arena.ofShared();
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static final List<String> NAMES = new ArrayList<>();
    private static final Map<Class<?>, Object> RECEIVERS = new HashMap<>();
    private static Path directory;
    private static RingChannel ring;

    @BeforeAll
    static void openReceivers() throws Exception {
        directory = Files.createTempDirectory("pipc-null-");
        ring = track(RingChannel.create(name("ring"), ChannelOptions.of(ChannelType.MPMC)));
        Sender sender = ring.sender();
        Receiver receiver = ring.receiver();
        RECEIVERS.put(Sender.class, sender);
        RECEIVERS.put(Receiver.class, receiver);
        RECEIVERS.put(Codec.class, Codec.bytes());
        RECEIVERS.put(RecordCodec.class, Codec.ofRecord(Sample.class));
        RECEIVERS.put(TypedSender.class, TypedSender.of(sender, Codec.bytes(), 1));
        TypedReceiver<byte[]> typed = TypedReceiver.of(receiver, Codec.bytes());
        RECEIVERS.put(TypedReceiver.class, typed);
        RECEIVERS.put(Header.class, typed.lastHeader());
        // over a queue, so that the priority the walk gives (1) is valid; the port below runs on a ring
        RECEIVERS.put(Mailbox.class, track(Mailbox.create(name("mailbox"), MailboxOptions.queue().capacity(4)
                .maxMessageLength(64), Codec.bytes())));
        RECEIVERS.put(MailboxOptions.class, MailboxOptions.ring());
        RECEIVERS.put(Port.class, track(Port.create(name("port"), MailboxOptions.ring(), Codec.bytes())));
        EndpointRegistry registry = track(EndpointRegistry.create(name("registry")));
        RECEIVERS.put(EndpointRegistry.class, registry);
        RECEIVERS.put(Endpoint.class, track(registry.register("printer", Codec.bytes())));
        String server = name("rpc");
        RECEIVERS.put(RpcServer.class, track(RpcServer.create(server, Codec.bytes(), Codec.bytes(), request -> request)));
        RECEIVERS.put(RpcClient.class, track(RpcClient.open(server, Codec.bytes(), Codec.bytes())));
        RECEIVERS.put(RpcOptions.class, RpcOptions.defaults());
        NamedPipe pipe = track(NamedPipe.create(directory.resolve("pipe")));
        RECEIVERS.put(NamedPipe.class, pipe);
        RECEIVERS.put(PipeReader.class, track(pipe.tryOpenReader()));
        RECEIVERS.put(PipeWriter.class, track(pipe.tryOpenWriter()));
        DescriptorServer socketServer = track(DescriptorServer.create(directory.resolve("socket")));
        RECEIVERS.put(DescriptorServer.class, socketServer);
        DescriptorSocket client = track(DescriptorSocket.open(directory.resolve("socket")));
        DescriptorSocket accepted = track(socketServer.accept(Duration.ofSeconds(10)));
        RECEIVERS.put(DescriptorSocket.class, client);
        RECEIVERS.put(Attachments.class, Attachments.none());
        client.send(ByteBuffer.wrap(new byte[] {1}), Attachments.none(), Duration.ofSeconds(10));
        RECEIVERS.put(Received.class, track(accepted.receive(Duration.ofSeconds(10))));
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        for (AutoCloseable c : OPEN.reversed()) {
            c.close();
        }
        for (String name : NAMES) {
            RingChannel.unlinkIfExists(name);
            Mailbox.unlinkIfExists(name);
            Port.unlinkIfExists(name);
            EndpointRegistry.unlinkIfExists(name);
            RpcServer.unlinkIfExists(name);
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void shouldNameTheNullParameterOfEveryPublicEntryPointBeforeAnySystemCall() throws Exception {
        NullArgumentWalk walk = new NullArgumentWalk(RECEIVERS, samples(), Map.of(
                EndpointRegistry.class, Map.of(String.class, fresh -> ENDPOINT),
                Endpoint.class, Map.of(String.class, fresh -> ENDPOINT)), () -> name("fresh"),
                NullArgumentsModelsTest::objectExists);
        NullArgumentWalk.Result result = walk.walk(CLASSES);
        assertTrue(result.calls() > 150, "only " + result.calls() + " calls made: the walk found too little");
        assertEquals(List.of(), result.problems(), result.problems().size() + " of " + result.calls() + " calls");
    }

    private static Map<Class<?>, Function<String, Object>> samples() {
        return Map.ofEntries(
                Map.entry(Path.class, fresh -> directory.resolve(fresh.substring(1))),
                Map.entry(MemorySegment[].class, fresh -> new MemorySegment[] {ARENA.allocate(8, 8)}),
                Map.entry(Class.class, fresh -> Sample.class),
                Map.entry(Record.class, fresh -> new Sample(1, 2)),
                Map.entry(MethodHandles.Lookup.class, fresh -> MethodHandles.lookup()),
                Map.entry(Codec.class, fresh -> Codec.bytes()),
                Map.entry(Sender.class, fresh -> ring.sender()),
                Map.entry(Receiver.class, fresh -> RECEIVERS.get(Receiver.class)),
                Map.entry(MailboxOptions.class, fresh -> MailboxOptions.ring()),
                Map.entry(RpcOptions.class, fresh -> RpcOptions.defaults()),
                Map.entry(Attachments.class, fresh -> Attachments.none()),
                Map.entry(WaitStrategy.class, fresh -> WaitStrategy.busySpin()));
    }

    private static boolean objectExists(String name) {
        return Files.exists(Path.of("/dev/shm" + name)) || Files.exists(Path.of("/dev/mqueue" + name))
                || Files.exists(directory.resolve(name.substring(1)));
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
