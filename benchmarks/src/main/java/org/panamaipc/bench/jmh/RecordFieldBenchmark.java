package org.panamaipc.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.Length;
import org.panamaipc.codec.MaxLength;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.codec.RecordField;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A typed message's two halves without a transport: the sender writes a record into memory (with
 * {@code encode}, or field by field through {@link RecordField}s) and the receiver reads its fields
 * in place, or decodes it, per operation. The record has primitives, a 16-byte string, an array
 * and a nested record (72 bytes as a C struct). The memory is a run of 64 slots written in turn,
 * as a ring's would be; the codec and fields are held in fields, as a transport holds them.
 * {@code -prof gc} shows the bytes allocated per operation: 0 for every form but {@code decode},
 * which creates the record, its nested record, array and string.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class RecordFieldBenchmark {

    /** A nested record: two prices. */
    public record Quote(double bid, double ask) {
    }

    /** The message: {@code struct Order} of 72 bytes. */
    public record Order(long id, double price, int quantity, boolean buy, @MaxLength(16) String symbol,
                        @Length(4) int[] levels, Quote quote) {
    }

    private static final int SLOTS = 64;

    private RecordCodec<Order> codec;
    private RecordField id;
    private RecordField price;
    private RecordField quantity;
    private RecordField buy;
    private RecordField symbol;
    private RecordField levels;
    private RecordField bid;
    private RecordField ask;
    private Order order;
    private Arena arena;
    private MemorySegment slots;
    private long slotSize;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        codec = Codec.ofRecord(Order.class);
        id = codec.field("id");
        price = codec.field("price");
        quantity = codec.field("quantity");
        buy = codec.field("buy");
        symbol = codec.field("symbol");
        levels = codec.field("levels");
        bid = codec.field("quote.bid");
        ask = codec.field("quote.ask");
        order = new Order(7, 101.5, 300, true, "ACME.XNAS", new int[] {100, 99, 98, 97}, new Quote(101.25, 101.75));
        slotSize = codec.byteSize();
        arena = Arena.ofConfined();
        slots = arena.allocate(SLOTS * slotSize, Long.BYTES);
        for (int i = 0; i < SLOTS; i++) {
            codec.encode(order, slots, i * slotSize);
        }
        if (read(0) != expected()) {
            throw new IllegalStateException("fields read " + read(0) + ", expected " + expected());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private long nextSlot() {
        next = (next + 1) & (SLOTS - 1);
        return next * slotSize;
    }

    private long expected() {
        return 7 + 101 + 300 + 1 + 1 + 100 + 99 + 98 + 97 + 101 + 101;
    }

    /** Reads every field of the message at {@code at} in place, the string by comparison. */
    private long read(long at) {
        long sum = id.getLong(slots, at) + (long) price.getDouble(slots, at) + quantity.getInt(slots, at)
                + (buy.getBoolean(slots, at) ? 1 : 0) + (symbol.stringEquals(slots, at, "ACME.XNAS") ? 1 : 0);
        for (int i = 0; i < 4; i++) {
            sum += levels.getInt(slots, at, i);
        }
        return sum + (long) bid.getDouble(slots, at) + (long) ask.getDouble(slots, at);
    }

    /** {@return the fields read back} The sender encodes a record, the receiver reads its fields in place. */
    @Benchmark
    public long encodeAndReadFields() {
        long at = nextSlot();
        codec.encode(order, slots, at);
        return read(at);
    }

    /** {@return the fields read back} The sender writes the message field by field, the receiver reads in place. */
    @Benchmark
    public long writeFieldsAndReadFields() {
        long at = nextSlot();
        id.setLong(slots, at, 7);
        price.setDouble(slots, at, 101.5);
        quantity.setInt(slots, at, 300);
        buy.setBoolean(slots, at, true);
        symbol.setString(slots, at, "ACME.XNAS");
        for (int i = 0; i < 4; i++) {
            levels.setInt(slots, at, i, 100 - i);
        }
        bid.setDouble(slots, at, 101.25);
        ask.setDouble(slots, at, 101.75);
        return read(at);
    }

    /** {@return the fields of one message} The receiver alone, reading in place. */
    @Benchmark
    public long readFields() {
        return read(nextSlot());
    }

    /** {@return the decoded record} The sender encodes, the receiver creates the record: for contrast. */
    @Benchmark
    public Order encodeAndDecode() {
        long at = nextSlot();
        codec.encode(order, slots, at);
        return codec.decode(slots, at);
    }
}
