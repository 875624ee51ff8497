package org.panamaipc.bench;

import org.HdrHistogram.Histogram;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.rpc.RpcClient;
import org.panamaipc.rpc.RpcOptions;
import org.panamaipc.rpc.RpcServer;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One process of the RPC benchmark: {@code RpcBenchPeer server KIND ID CLIENTS} (CLIENTS, how many
 * will call, is for the log) or
 * {@code RpcBenchPeer client KIND ID WARMUP_MS MEASURE_MS [MEETING_DIR CLIENTS INDEX]}. KIND is {@code rpc} (an
 * {@link RpcServer} and {@link RpcClient}s with the default options: one worker, whose handler
 * takes well under a microsecond; {@code -Drpc.workers=N} gives the server N),
 * {@code rpc-nospin} (the same, waiting without spinning first), {@code unix-socket} (what
 * a user would write instead: a {@link ServerSocketChannel} on a Unix-domain address with a thread
 * per connection, and blocking {@link SocketChannel}s, each message a 4-byte length and the
 * bytes) or {@code grpc} (gRPC over a Unix-domain socket, {@link GrpcBenchPeer}). The request and the response are 32-byte records; the server's handler returns the
 * request's number and the sum of its fields. The server prints {@code READY} and serves until it
 * is killed; a client calls back to back for {@code WARMUP_MS} (and in a full run until its JIT is
 * quiet, {@link Warmup}), and on, untimed, until the case's other clients are warm too (they meet
 * through files in MEETING_DIR), then for {@code MEASURE_MS}, then on, untimed, until all have
 * measured, so that every client measures while all call; timing
 * every call into an HdrHistogram and checking every answer, and prints one {@code RESULT} line.
 */
public final class RpcBenchPeer {

    /** 32 bytes: what a client asks. */
    public record Request(long n, long a, long b, long c) {
    }

    /** 32 bytes: what the server answers. */
    public record Response(long n, long sum, long a, long b) {
    }

    static final RecordCodec<Request> REQUESTS = Codec.ofRecord(Request.class);
    static final RecordCodec<Response> RESPONSES = Codec.ofRecord(Response.class);
    static final int SIZE = 32;

    private static final long DEADLINE_MILLIS = 300_000;
    /** How often a client waiting for the others looks whether they have come: every 2 ms. */
    private static final long MEET_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a client waits for the others at most: 120 s. */
    private static final long MEET_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(120);

    private RpcBenchPeer() {
    }

    /**
     * {@return the options of {@code kind}} {@code rpc}: the defaults (a blocking wait that spins
     * 20 µs first); {@code rpc-nospin}: a blocking wait that sleeps at once, as a socket does.
     * {@code -Drpc.spin=NANOS} sets the spin of either.
     */
    static RpcOptions options(String kind) {
        String spin = System.getProperty("rpc.spin", kind.equals("rpc-nospin") ? "0" : null);
        return spin == null ? RpcOptions.defaults()
                : RpcOptions.defaults().waitStrategy(org.panamaipc.channel.WaitStrategy.blocking(Duration.ofNanos(Long.parseLong(spin))));
    }

    static Response answer(Request request) {
        return new Response(request.n(), request.a() + request.b() + request.c(), request.a(), request.b());
    }

    static String serverName(String id) {
        return "/pipc-bench-" + id + "-rpc";
    }

    static Path socketPath(String id) {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipc-bench-" + id + "-rpc.sock");
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(DEADLINE_MILLIS);
                System.out.println("watchdog: still running after " + DEADLINE_MILLIS + " ms");
                System.exit(9);
            } catch (InterruptedException done) {
                // finished
            }
        });
        String kind = args[1];
        String id = args[2];
        if (args[0].equals("server")) {
            if (kind.startsWith("rpc")) {
                RpcServer<Request, Response> server = RpcServer.create(serverName(id), REQUESTS, RESPONSES,
                        RpcBenchPeer::answer, options(kind).workers(Integer.getInteger("rpc.workers", 0) > 0
                                ? Integer.getInteger("rpc.workers") : RpcOptions.DEFAULT_WORKERS));
                System.out.println("READY " + server);
            } else if (kind.equals("grpc")) {
                System.out.println("READY grpc " + GrpcBenchPeer.serve(socketPath(id)));
            } else {
                socketServer(id);
            }
            System.out.flush();
            Thread.sleep(DEADLINE_MILLIS);
            return;
        }
        long warmupNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        long measureNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
        Caller caller = kind.startsWith("rpc") ? new RpcCaller(id, kind)
                : kind.equals("grpc") ? new GrpcBenchPeer.Caller(socketPath(id)) : new SocketCaller(id);
        try (caller) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            long n = 0;
            Warmup warmup = new Warmup(warmupNanos);
            while (warmup.going()) {
                check(caller.call(new Request(++n, n, 1, 2)), n);
            }
            // every client of the case measures over the same seconds: each warms up as long as
            // its own JIT needs, then goes on calling until all are warm, and after its
            // measurement until all have measured, so that their rates add up
            Meeting meeting = args.length > 7 ? new Meeting(Path.of(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7])) : null;
            n = meet(meeting, "warm", caller, n);
            long calls = 0;
            long begin = System.nanoTime();
            long now = begin;
            while (now - begin < measureNanos) {
                Request request = new Request(++n, n, 1, 2);
                long sent = System.nanoTime();
                Response response = caller.call(request);
                now = System.nanoTime();
                check(response, n);
                histogram.recordValue(now - sent);
                calls++;
            }
            double seconds = (now - begin) / 1e9;
            meet(meeting, "measured", caller, n);
            System.out.printf("RESULT calls=%d seconds=%.3f callsPerSecond=%.0f p50=%.0f p90=%.0f p99=%.0f p999=%.0f max=%d"
                            + " warmupMillis=%d%n",
                    calls, seconds, calls / seconds,
                    histogram.getValueAtPercentile(50) / 1.0, histogram.getValueAtPercentile(90) / 1.0,
                    histogram.getValueAtPercentile(99) / 1.0, histogram.getValueAtPercentile(99.9) / 1.0,
                    histogram.getMaxValue(), warmup.millis());
        }
        watchdog.interrupt();
        System.exit(0);
    }

    /**
     * Where the clients of one case meet: a directory in which each client makes a file per phase
     * it has reached ({@code PHASE-INDEX}).
     */
    private record Meeting(Path directory, int clients, int index) {

        void arrive(String phase) throws java.io.IOException {
            Files.createFile(directory.resolve(phase + "-" + index));
        }

        boolean everyone(String phase) throws java.io.IOException {
            try (var files = Files.list(directory)) {
                return files.filter(f -> f.getFileName().toString().startsWith(phase + "-")).count() >= clients;
            }
        }
    }

    /**
     * Arrives at {@code phase} and goes on calling (checking each answer, timing none) until every
     * client has arrived, looking every {@link #MEET_LOOK_NANOS}. {@return the last call's number}
     */
    private static long meet(Meeting meeting, String phase, Caller caller, long n) throws Exception {
        if (meeting == null) {
            return n;
        }
        meeting.arrive(phase);
        long start = System.nanoTime();
        long looked = start;
        while (!meeting.everyone(phase)) {
            do {
                check(caller.call(new Request(++n, n, 1, 2)), n);
            } while (System.nanoTime() - looked < MEET_LOOK_NANOS);
            looked = System.nanoTime();
            if (looked - start > MEET_DEADLINE_NANOS) {
                throw new IllegalStateException("the other clients did not reach '" + phase + "' within "
                        + TimeUnit.NANOSECONDS.toSeconds(MEET_DEADLINE_NANOS) + " s");
            }
        }
        return n;
    }

    private static void check(Response response, long n) {
        if (response.n() != n || response.sum() != n + 3) {
            throw new IllegalStateException("call " + n + " got " + response);
        }
    }

    /** One client's way to call. */
    interface Caller extends AutoCloseable {
        Response call(Request request) throws Exception;
    }

    private static final class RpcCaller implements Caller {
        private final RpcClient<Request, Response> client;

        RpcCaller(String id, String kind) {
            client = RpcClient.open(serverName(id), REQUESTS, RESPONSES, options(kind));
        }

        @Override
        public Response call(Request request) throws Exception {
            return client.call(request, Duration.ofSeconds(30));
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** A blocking Unix-domain socket: the request and the response each a 4-byte length and 32 bytes. */
    private static final class SocketCaller implements Caller {
        private final SocketChannel channel;
        private final ByteBuffer out = ByteBuffer.allocateDirect(4 + SIZE).order(ByteOrder.nativeOrder());
        private final ByteBuffer in = ByteBuffer.allocateDirect(4 + SIZE).order(ByteOrder.nativeOrder());

        SocketCaller(String id) throws Exception {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socketPath(id)));
        }

        @Override
        public Response call(Request request) throws Exception {
            out.clear();
            out.putInt(SIZE).putLong(request.n()).putLong(request.a()).putLong(request.b()).putLong(request.c()).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            readFully(channel, in);
            return new Response(in.getLong(4), in.getLong(12), in.getLong(20), in.getLong(28));
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws Exception {
        buffer.clear();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IllegalStateException("the peer closed the socket");
            }
        }
    }

    /** Accepts connections, a thread for each, which answers every request on it. */
    private static void socketServer(String id) throws Exception {
        Path path = socketPath(id);
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    SocketChannel channel = server.accept();
                    Thread.ofPlatform().daemon().start(() -> serve(channel));
                }
            } catch (Exception closed) {
                // the harness kills us
            }
        });
        System.out.println("READY unix-socket " + path);
    }

    private static void serve(SocketChannel channel) {
        ByteBuffer in = ByteBuffer.allocateDirect(4 + SIZE).order(ByteOrder.nativeOrder());
        ByteBuffer out = ByteBuffer.allocateDirect(4 + SIZE).order(ByteOrder.nativeOrder());
        try (channel) {
            while (true) {
                readFully(channel, in);
                Response response = answer(new Request(in.getLong(4), in.getLong(12), in.getLong(20), in.getLong(28)));
                out.clear();
                out.putInt(SIZE).putLong(response.n()).putLong(response.sum()).putLong(response.a()).putLong(response.b()).flip();
                while (out.hasRemaining()) {
                    channel.write(out);
                }
            }
        } catch (Exception closed) {
            // the client has gone
        }
    }
}
