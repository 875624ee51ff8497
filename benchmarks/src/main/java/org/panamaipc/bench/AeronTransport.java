package org.panamaipc.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.panamaipc.bridge.Bridge;
import org.panamaipc.bridge.EmbeddedDriver;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What a user of Aeron would write instead of the bridge: in each JVM an embedded media driver
 * (the bridge's own settings, {@link EmbeddedDriver}, with a thread of its own that waits as
 * {@code STRATEGY} says), an Aeron client, an exclusive publication to the other JVM's loopback
 * port and a subscription on its own. Sending is {@code offer} retried while it is refused;
 * receiving is {@code poll(handler, 1)} in a loop, the handler copying the message out; both wait
 * with the Agrona idle strategy that {@code STRATEGY} names, as the driver does and as the bridge
 * beside it waits on its mailboxes. Spec: {@code aeron:STRATEGY} ({@code spin}, {@code yield},
 * {@code backoff}).
 */
public final class AeronTransport implements Transport {

    private final String strategy;

    AeronTransport(String strategy) {
        this.strategy = strategy;
        AeronPorts.idle(strategy);
    }

    @Override
    public String name() {
        return "aeron/" + strategy;
    }

    @Override
    public List<String> jvmFlags() {
        return Bridge.JVM_FLAGS;
    }

    @Override
    public void setUp(String id) throws Exception {
        AeronPorts.choose(id);
    }

    @Override
    public void tearDown(String id) {
        AeronPorts.remove(id);
    }

    @Override
    public Side open(String id, boolean ping) throws Exception {
        int[] ports = AeronPorts.read(id);
        EmbeddedDriver driver = EmbeddedDriver.launch(AeronPorts.idle(strategy), false);
        try {
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory().toString()));
            ExclusivePublication out = aeron.addExclusivePublication(AeronPorts.channel(ports[ping ? 1 : 0]), AeronPorts.STREAM);
            Subscription in = aeron.addSubscription(AeronPorts.channel(ports[ping ? 0 : 1]), AeronPorts.STREAM);
            return new AeronSide(driver, aeron, out, in, idleStrategy(strategy));
        } catch (RuntimeException | Error e) {
            driver.close();
            throw e;
        }
    }

    static org.agrona.concurrent.IdleStrategy idleStrategy(String name) {
        return switch (AeronPorts.idle(name)) {
            case SPIN -> new org.agrona.concurrent.BusySpinIdleStrategy();
            case YIELD -> new org.agrona.concurrent.YieldingIdleStrategy();
            case BACKOFF -> new org.agrona.concurrent.BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        };
    }

    private static final class AeronSide implements Side {
        private final EmbeddedDriver driver;
        private final Aeron aeron;
        private final ExclusivePublication out;
        private final Subscription in;
        private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
        private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
        private final org.agrona.concurrent.IdleStrategy idle;
        private final FragmentHandler copyOut = (buffer, offset, length, header) -> {
            target.putBytes(0, buffer, offset, length);
            this.received = length;
        };
        private int received;
        private long refusals;
        private long deadline;

        AeronSide(EmbeddedDriver driver, Aeron aeron, ExclusivePublication out, Subscription in,
                  org.agrona.concurrent.IdleStrategy idle) {
            this.idle = idle;
            this.driver = driver;
            this.aeron = aeron;
            this.out = out;
            this.in = in;
        }

        @Override
        public void send(MemorySegment message, int length) {
            source.wrap(message.address(), length);
            long waits = 0;
            idle.reset();
            deadline = 0;
            while (out.offer(source, 0, length) < 0) {
                refusals++;
                waits = await(++waits, "Aeron refused every offer");
            }
        }

        @Override
        public int receive(MemorySegment buffer) {
            target.wrap(buffer.address(), (int) Math.min(buffer.byteSize(), Integer.MAX_VALUE));
            long waits = 0;
            idle.reset();
            deadline = 0;
            while (in.poll(copyOut, 1) == 0) {
                waits = await(++waits, "nothing from Aeron");
            }
            return received;
        }

        /** Idles once; now and then looks at the clock, and gives up after {@link Spinner#TIMEOUT_NANOS}. */
        private long await(long waits, String what) {
            idle.idle();
            if ((waits & 0xFFFF) == 0) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + Spinner.TIMEOUT_NANOS;
                } else if (now - deadline > 0) {
                    throw new IllegalStateException(what + " for " + Spinner.TIMEOUT_NANOS / 1_000_000_000L + " s");
                }
            }
            return waits;
        }

        @Override
        public String counters() {
            return "refusals=" + refusals;
        }

        @Override
        public void close() {
            try {
                in.close();
                out.close();
                aeron.close();
            } finally {
                driver.close();
            }
        }
    }
}
