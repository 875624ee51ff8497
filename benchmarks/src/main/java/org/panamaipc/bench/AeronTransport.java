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
 * receiving is {@code poll(handler, 1)} in a busy-spin loop, the handler copying the message out.
 * Spec: {@code aeron:STRATEGY} ({@code spin}, {@code yield}, {@code backoff}).
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
            return new AeronSide(driver, aeron, out, in);
        } catch (RuntimeException | Error e) {
            driver.close();
            throw e;
        }
    }

    private static final class AeronSide implements Side {
        private final EmbeddedDriver driver;
        private final Aeron aeron;
        private final ExclusivePublication out;
        private final Subscription in;
        private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
        private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
        private final Spinner spinner = new Spinner();
        private final FragmentHandler copyOut = (buffer, offset, length, header) -> {
            target.putBytes(0, buffer, offset, length);
            this.received = length;
        };
        private int received;
        private long refusals;

        AeronSide(EmbeddedDriver driver, Aeron aeron, ExclusivePublication out, Subscription in) {
            this.driver = driver;
            this.aeron = aeron;
            this.out = out;
            this.in = in;
        }

        @Override
        public void send(MemorySegment message, int length) {
            source.wrap(message.address(), length);
            spinner.reset();
            while (out.offer(source, 0, length) < 0) {
                refusals++;
                spinner.idle("Aeron refused the offer");
            }
        }

        @Override
        public int receive(MemorySegment buffer) {
            target.wrap(buffer.address(), (int) Math.min(buffer.byteSize(), Integer.MAX_VALUE));
            spinner.reset();
            while (in.poll(copyOut, 1) == 0) {
                spinner.idle("nothing from Aeron");
            }
            return received;
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
