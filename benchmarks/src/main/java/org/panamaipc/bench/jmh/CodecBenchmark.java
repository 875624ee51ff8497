package org.panamaipc.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panamaipc.codec.Codec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Encoding into and decoding from native memory, as a transport's buffer would hold it, with the
 * codecs of {@code org.panamaipc.codec}: {@code Codec.bytes()}, {@code Codec.utf8()} (ASCII text,
 * the common case, and text with 2- and 3-byte characters) and {@code Codec.ofRecord(Tick.class)}
 * (a 24-byte struct). Encoding is meant to allocate nothing; decoding allocates the value it
 * returns (the array, the string, the record), and {@code -prof gc} shows how much.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class CodecBenchmark {

    /** A fixed-size record: {@code long, double, int, boolean}, 24 bytes as a C struct. */
    public record Tick(long instrument, double price, int quantity, boolean buy) {
    }

    /**
     * The codec and the value: {@code bytes-N} (an N-byte array), {@code utf8-N} (N ASCII
     * characters), {@code utf8mixed-N} (N bytes of UTF-8 from 1-, 2- and 3-byte characters),
     * {@code record} (a {@link Tick}).
     */
    @Param({"bytes-32", "bytes-1024", "utf8-32", "utf8-1024", "utf8mixed-1024", "record"})
    public String payload;

    private Codec<Object> codec;
    private Object value;
    private Arena arena;
    private MemorySegment target;
    private MemorySegment encoded;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        String kind = payload.contains("-") ? payload.substring(0, payload.indexOf('-')) : payload;
        int n = payload.contains("-") ? Integer.parseInt(payload.substring(payload.indexOf('-') + 1)) : 0;
        switch (kind) {
            case "bytes" -> {
                byte[] bytes = new byte[n];
                Arrays.fill(bytes, (byte) 'x');
                codec = (Codec<Object>) (Codec<?>) Codec.bytes();
                value = bytes;
            }
            case "utf8" -> {
                codec = (Codec<Object>) (Codec<?>) Codec.utf8();
                value = "x".repeat(n);
            }
            case "utf8mixed" -> {
                // "aé€" is 1 + 2 + 3 = 6 bytes of UTF-8 in 3 chars
                codec = (Codec<Object>) (Codec<?>) Codec.utf8();
                value = "a\u00e9\u20ac".repeat(n / 6) + "x".repeat(n % 6);
            }
            case "record" -> {
                codec = (Codec<Object>) (Codec<?>) Codec.ofRecord(Tick.class);
                value = new Tick(7, 101.5, 300, true);
            }
            default -> throw new IllegalArgumentException("payload=" + payload + " is unknown");
        }
        arena = Arena.ofConfined();
        target = arena.allocate(8192, Long.BYTES);
        long length = codec.encode(value, target, 0);
        if (length < 0) {
            throw new IllegalStateException("payload=" + payload + " needs " + -length + " bytes");
        }
        encoded = target.asSlice(0, length);
        if (!codec.decode(encoded).equals(value) && !(value instanceof byte[] b
                && Arrays.equals(b, (byte[]) codec.decode(encoded)))) {
            throw new IllegalStateException("payload=" + payload + " does not decode to what was encoded");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** {@return the encoded length} */
    @Benchmark
    public long encode() {
        return codec.encode(value, target, 0);
    }

    /** {@return the decoded value} */
    @Benchmark
    public Object decode() {
        return codec.decode(encoded);
    }
}
