package org.panamaipc.bridge;

import io.aeron.Aeron;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Carries mailboxes and ports between hosts over Aeron, so that a sender writes the same
 * {@code send} whether the mailbox lives on this host or another. On the sending host the bridge
 * <em>imports</em> a remote name: it creates a local mailbox (or port) of that name, a stand-in,
 * and forwards what local senders put there to the remote host; on the receiving host the bridge
 * <em>exports</em> the name: it delivers what arrives into the real local mailbox or port. Which
 * name lives where is {@linkplain BridgeConfig configuration}, not discovery.
 *
 * {@snippet lang=java :
 * // host B, where the consumer is: deliver stream 10 into the local /jobs
 * try (Bridge bridge = Bridge.start(BridgeConfig.builder()
 *         .listen("aeron:udp?endpoint=0.0.0.0:40124").exportMailbox("/jobs", 10).build())) { ... }
 * // host A, where the producer is: /jobs is at host B
 * try (Bridge bridge = Bridge.start(BridgeConfig.builder()
 *         .importMailbox("/jobs", "aeron:udp?endpoint=hostB:40124", 10, MailboxOptions.ring()).build())) {
 *     // the producer's code is what it is on one host
 *     try (Mailbox<Job> jobs = Mailbox.open("/jobs", JOBS)) { jobs.send(new Job(1, "a.pdf")); }
 * }
 * }
 *
 * <h2>What holds across hosts</h2>
 * <table class="striped">
 * <caption>Guarantees of a mailbox or port reached through two bridges</caption>
 * <thead><tr><th>property</th><th>on one host</th><th>across hosts (through bridges)</th></tr></thead>
 * <tbody>
 * <tr><td>order</td><td>per sender</td><td>per sender: one publication per import, one thread taking the
 *     stand-in's messages in order and packing them, in that order, into Aeron frames of several messages;
 *     messages of different senders interleave as they left the stand-in</td></tr>
 * <tr><td>delivery</td><td>exactly once while both sides live</td><td>at most once: Aeron retransmits
 *     what UDP loses, but a message is gone if the receiving host or bridge dies after taking it and before
 *     its mailbox holds it, or if the sending bridge dies holding it; exactly once needs the receiver to
 *     acknowledge (a reply), which the bridge does not do for you</td></tr>
 * <tr><td>full</td><td>{@code FULL} when the ring is full</td><td>{@code FULL} when the stand-in is full;
 *     Aeron's back-pressure ({@code BACK_PRESSURED}, {@code NOT_CONNECTED}) and a full remote mailbox both
 *     end as a full stand-in: never a silent drop. A publication takes half a term ahead of what the
 *     network has sent (2 MiB with {@link EmbeddedDriver#TERM_LENGTH}), so a slow remote consumer is felt
 *     once that, the receiver's window and the remote mailbox have filled</td></tr>
 * <tr><td>send returns</td><td>once the message is in the mailbox</td><td>once it is in the stand-in, not
 *     when it reaches the other host</td></tr>
 * <tr><td>port owner gone</td><td>the next send fails at once ({@code CLOSED}, {@code PortGoneException})</td>
 *     <td>the same, once the sending host's publication has lost its subscriber: at once for sends after
 *     that; the loss is seen within {@link #LIVENESS_TIMEOUT} (the embedded driver's publication connection
 *     timeout) of the owner's or remote host's death (measured: 0.11 to 0.85 s after the owner closed its port,
 *     0.72 to 0.85 s after its host was killed with {@code SIGKILL})</td></tr>
 * <tr><td>mailbox receivers gone</td><td>sends succeed until full, then {@code CLOSED}</td><td>sends succeed
 *     until the stand-in is full, then {@code FULL}: the bridge holds the messages for a receiver to come</td></tr>
 * <tr><td>header</td><td>type, source, pid, sequence, send time of the sender</td><td>the same: each field
 *     carried exactly ({@code WireFormat}, which leaves out what the message before it in the same frame
 *     determines) and delivered with the message
 *     ({@link org.panamaipc.message.ForwardingSender}), so the receiver's {@code lastHeader()} names the original
 *     sender, not a bridge. Its pid is a process of the sending host (another host's pid space), its send time
 *     that host's {@code CLOCK_MONOTONIC} (so {@code ageNanos()} means nothing across hosts); the reply address
 *     and a queue's priority are not carried</td></tr>
 * <tr><td>versions</td><td>one library</td><td>both hosts must run bridges of the same wire layout (3, since
 *     this release): a frame of another layout, like any datagram that is not a well-formed frame of a bridge, is
 *     dropped whole and counted ({@code malformed=} in {@link #counters()}), never delivered in part</td></tr>
 * <tr><td>value</td><td>the codec's encoding</td><td>the same bytes: typed records stay typed (both hosts
 *     must use the same codec and byte order)</td></tr>
 * <tr><td>message length</td><td>{@code maxMessageLength}</td><td>at most {@link #maxValueLength()} with
 *     Aeron's default MTU: a message never spans two Aeron frames (a frame holds one or more); the receiving
 *     mailbox must allow it too, or the bridge stops with {@link org.panamaipc.MessageTooLongException}
 *     ({@link #failure()})</td></tr>
 * </tbody>
 * </table>
 *
 * <h2>Media driver</h2>
 * By default a bridge embeds its own media driver ({@link EmbeddedDriver}) in a directory of its own,
 * {@code /dev/shm/pipc-aeron-PID-N} (or under {@code java.io.tmpdir} where there is no {@code /dev/shm}),
 * removed when the bridge closes; the driver has no thread of its own: the bridge's thread runs it,
 * the Aeron client's conductor and the forwarding, so a bridge costs one thread (on a machine of two
 * CPUs, the threads of a driver, a client conductor and a bridge would take turns on them). With {@link BridgeConfig.Builder#driver(Path)}
 * it connects to a media driver that runs already (the Aeron directory it was started with) and
 * starts none. Aeron's Agrona reads JDK internals: the JVM needs {@link #JVM_FLAGS}.
 *
 * <h2>Threads</h2>
 * One thread, {@code pipc-bridge}, runs the embedded driver, the Aeron client's conductor, every import
 * and every export, waiting as {@link BridgeConfig.Idle} says when none has anything to do. {@link #close()} stops it and releases everything.
 */
public final class Bridge implements AutoCloseable {

    /**
     * The JVM options a process running a bridge is started with. Agrona 2.6.0 needs the first on
     * JDK 25 (without it, {@code org.agrona.UnsafeApi} fails with {@link IllegalAccessError}); the second
     * lets Aeron's transport poller replace the NIO selector's key set, which it otherwise does without.
     */
    public static final List<String> JVM_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    /**
     * How long an embedded driver's publication goes without a status message from its subscriber
     * before it counts as not connected: the time in which a bridge sees a remote port's owner,
     * bridge or host gone.
     */
    public static final Duration LIVENESS_TIMEOUT = Duration.ofSeconds(1);

    private final BridgeConfig config;
    private final EmbeddedDriver driver;
    private final AgentInvoker driverInvoker;
    private final AgentInvoker clientInvoker;
    private final Path aeronDir;
    private final Aeron aeron;
    private final List<Forwarder> forwarders = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private boolean closed;

    private Bridge(BridgeConfig config) {
        this.config = config;
        if (config.driverDir() == null) {
            this.driver = EmbeddedDriver.launch(config.idle(), true);
            this.aeronDir = driver.directory();
            this.driverInvoker = driver.invoker();
        } else {
            this.driver = null;
            this.aeronDir = config.driverDir();
            this.driverInvoker = null;
        }
        Aeron.Context context = new Aeron.Context().aeronDirectoryName(aeronDir.toString()).useConductorAgentInvoker(true);
        if (driverInvoker != null) {
            context.driverAgentInvoker(driverInvoker);
        }
        try {
            this.aeron = Aeron.connect(context);
            this.clientInvoker = aeron.conductorAgentInvoker();
            for (BridgeConfig.Export export : config.exports()) {
                deliveries.add(new Delivery(aeron, config.listen(), export));
            }
            for (BridgeConfig.Import spec : config.imports()) {
                forwarders.add(new Forwarder(aeron, spec));
            }
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        }
        this.thread = Thread.ofPlatform().name("pipc-bridge").daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * Starts a bridge as {@code config} says: its media driver (unless an external one is named),
     * its imports' stand-ins and its exports' subscriptions, and its thread.
     *
     * @throws IllegalArgumentException if an imported mailbox's longest value does not fit one Aeron frame
     * @throws IllegalStateException if an imported mailbox exists, takes one receiver at a time, and
     *         another handle holds it (another bridge importing it, or a local receiver)
     * @throws io.aeron.exceptions.AeronException if the media driver cannot start or be reached
     */
    public static Bridge start(BridgeConfig config) {
        Objects.requireNonNull(config, "config");
        return new Bridge(config);
    }

    /** {@return the longest value a bridge carries with Aeron's default MTU (1408 bytes): 1337 bytes} */
    public static int maxValueLength() {
        return io.aeron.driver.Configuration.mtuLength() - io.aeron.protocol.DataHeaderFlyweight.HEADER_LENGTH
                - WireFormat.HEADER_LENGTH;
    }

    static IdleStrategy idleStrategy(BridgeConfig.Idle idle) {
        return switch (idle) {
            case SPIN -> new BusySpinIdleStrategy();
            case YIELD -> new YieldingIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        };
    }

    private void run() {
        IdleStrategy idle = idleStrategy(config.idle());
        try {
            while (running) {
                long now = System.nanoTime();
                int work = 0;
                // forwarders first, so that the driver sends what they offered in the same cycle,
                // and deliveries after the driver, so that what it received reaches the mailboxes in it too
                for (Forwarder forwarder : forwarders) {
                    work += forwarder.doWork();
                }
                work += driverInvoker != null ? driverInvoker.invoke() : 0;
                work += clientInvoker.invoke();
                for (Delivery delivery : deliveries) {
                    work += delivery.doWork(now);
                }
                idle.idle(work);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** {@return the Aeron directory this bridge's media driver uses (its own, or the external one)} */
    public Path aeronDirectory() {
        return aeronDir;
    }

    /** {@return whether this bridge runs a media driver of its own} */
    public boolean embeddedDriver() {
        return driver != null;
    }

    /** {@return whether the import {@code name}'s publication has a subscriber on the remote host now} */
    public boolean connected(String name) {
        for (Forwarder forwarder : forwarders) {
            if (forwarder.name().equals(name)) {
                return forwarder.connected();
            }
        }
        throw new IllegalArgumentException("name=" + name + " is not imported by this bridge");
    }

    /** {@return the exception that stopped the bridge's thread, or {@code null} while it runs} */
    public Throwable failure() {
        return failure;
    }

    /**
     * {@return counters, as {@code key=value} words: messages forwarded (and the Aeron frames that
     * carried them) and delivered, offers Aeron
     * refused (back-pressure), deliveries retried because the local mailbox was full, frames that were
     * not a bridge's, and stand-in ports closed because the remote one went} Read while the bridge
     * runs, they are approximate.
     */
    public String counters() {
        long forwarded = 0, framesSent = 0, refusals = 0, lost = 0, portCloses = 0, delivered = 0, full = 0, malformed = 0;
        for (Forwarder forwarder : forwarders) {
            forwarded += forwarder.forwarded;
            framesSent += forwarder.framesSent;
            refusals += forwarder.refusals;
            lost += forwarder.lostWithPort;
            portCloses += forwarder.portCloses;
        }
        for (Delivery delivery : deliveries) {
            delivered += delivery.delivered;
            full += delivery.fullRetries;
            malformed += delivery.malformed;
        }
        return "forwarded=" + forwarded + " framesSent=" + framesSent + " aeronRefusals=" + refusals + " delivered=" + delivered
                + " localFullRetries=" + full + " malformed=" + malformed + " standInPortCloses=" + portCloses
                + " lostWithPort=" + lost;
    }

    /**
     * Stops the thread, closes the stand-ins (removing the mailboxes it created) and the subscriptions,
     * the Aeron client and an embedded driver, whose directory it removes; idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release();
    }

    private void release() {
        for (Forwarder forwarder : forwarders) {
            closeQuietly(forwarder);
        }
        for (Delivery delivery : deliveries) {
            closeQuietly(delivery);
        }
        if (aeron != null) {
            closeQuietly(aeron);
        }
        if (driver != null) {
            closeQuietly(driver);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing the rest matters more
        }
    }

    @Override
    public String toString() {
        return "Bridge[" + (driver != null ? "embedded driver " : "driver ") + aeronDir + ", listen=" + config.listen()
                + ", exports=" + config.exports().size() + ", imports=" + config.imports().size() + "]";
    }
}
