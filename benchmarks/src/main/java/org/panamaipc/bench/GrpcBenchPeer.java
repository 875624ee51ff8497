package org.panamaipc.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import org.panamaipc.bench.RpcBenchPeer.Request;
import org.panamaipc.bench.RpcBenchPeer.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc} kind of the RPC benchmark: the same request and response as gRPC would carry
 * them between processes on one machine, over a Unix-domain socket. One unary method whose
 * messages are the 32 bytes of {@link RpcBenchPeer}'s records, through a {@code byte[]}
 * marshaller (no protobuf, so no protoc, and no cost of an encoding the others do not pay); the
 * server and the channels are Netty's, on its native epoll transport (shaded into
 * {@code grpc-netty-shaded}), which is what gRPC Java needs for a Unix-domain socket. The server
 * answers on its event loop ({@code directExecutor()}), as one would for a handler that never
 * blocks; a client calls with {@link ClientCalls#blockingUnaryCall}, which runs the call's
 * callbacks on the calling thread.
 */
final class GrpcBenchPeer {

    static final String SERVICE = "pipc.bench.Rpc";

    /** The bytes as they are: the message is already encoded. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> CALL = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Call"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private GrpcBenchPeer() {
    }

    /** Fails with the reason if Netty's native epoll transport, which domain sockets need, does not load here. */
    static void requireEpoll() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("gRPC over a Unix-domain socket needs Netty's native epoll transport,"
                    + " which does not load here: " + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
        }
    }

    /** Starts the server on {@code path}; it serves until the process ends. */
    static Server serve(Path path) throws IOException {
        requireEpoll();
        Files.deleteIfExists(path);
        EventLoopGroup boss = new EpollEventLoopGroup(1);
        EventLoopGroup workers = new EpollEventLoopGroup();
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(CALL, ServerCalls.asyncUnaryCall((byte[] request, io.grpc.stub.StreamObserver<byte[]> reply) -> {
                    reply.onNext(encode(RpcBenchPeer.answer(decodeRequest(request))));
                    reply.onCompleted();
                }))
                .build();
        return NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .directExecutor()
                .addService(service)
                .build()
                .start();
    }

    /** A client: one channel to the server at {@code path}. */
    static final class Caller implements RpcBenchPeer.Caller {
        private final EventLoopGroup loop = new EpollEventLoopGroup(1);
        private final ManagedChannel channel;

        Caller(Path path) {
            requireEpoll();
            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(path.toString()))
                    .channelType(EpollDomainSocketChannel.class)
                    .eventLoopGroup(loop)
                    .usePlaintext()
                    .build();
        }

        @Override
        public Response call(Request request) {
            byte[] answer = ClientCalls.blockingUnaryCall(channel, CALL,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), encode(request));
            ByteBuffer in = ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN);
            return new Response(in.getLong(0), in.getLong(8), in.getLong(16), in.getLong(24));
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static byte[] encode(Request request) {
        return ByteBuffer.allocate(RpcBenchPeer.SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(request.n()).putLong(request.a()).putLong(request.b()).putLong(request.c()).array();
    }

    private static byte[] encode(Response response) {
        return ByteBuffer.allocate(RpcBenchPeer.SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(response.n()).putLong(response.sum()).putLong(response.a()).putLong(response.b()).array();
    }

    private static Request decodeRequest(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new Request(in.getLong(0), in.getLong(8), in.getLong(16), in.getLong(24));
    }
}
