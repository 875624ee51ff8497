package org.panamaipc.bridge;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentInvoker;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An Aeron media driver in this JVM, in a directory of its own named {@code pipc-aeron-PID-N} under
 * {@code /dev/shm} (or {@code java.io.tmpdir} where there is none), removed when it closes. A
 * {@link Bridge} launches one unless told to use an external driver; the benchmarks launch the same
 * one for raw Aeron beside the bridge.
 *
 * <p>Settings: conductor, sender and receiver as one agent ({@link ThreadingMode#SHARED}, its own
 * thread; or {@link ThreadingMode#INVOKER}, run by the caller's thread through {@link #invoker()}, as
 * a bridge does so that driver and forwarding share one thread), terms of {@link #TERM_LENGTH} bytes,
 * and a publication that counts as not connected {@link Bridge#LIVENESS_TIMEOUT} after its last
 * status message from the subscriber.
 */
public final class EmbeddedDriver implements AutoCloseable {

    /** The term length of the driver's publications: 4 MiB; a publication takes half of it ahead of the network. */
    public static final int TERM_LENGTH = 4 << 20;
    /** What the names of the drivers' directories start with. */
    public static final String PREFIX = "pipc-aeron-";

    private final MediaDriver driver;
    private final Path directory;
    private boolean closed;

    private EmbeddedDriver(MediaDriver driver, Path directory) {
        this.driver = driver;
        this.directory = directory;
    }

    /**
     * Launches a driver that waits as {@code idle} says; with {@code invoked}, it has no thread and
     * runs only when {@link #invoker()} is invoked.
     */
    public static EmbeddedDriver launch(BridgeConfig.Idle idle, boolean invoked) {
        Objects.requireNonNull(idle, "idle");
        Path directory = newDirectory();
        MediaDriver.Context context = new MediaDriver.Context()
                .aeronDirectoryName(directory.toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(invoked ? ThreadingMode.INVOKER : ThreadingMode.SHARED)
                .sharedIdleStrategy(Bridge.idleStrategy(idle))
                .publicationTermBufferLength(TERM_LENGTH)
                .publicationConnectionTimeoutNs(Bridge.LIVENESS_TIMEOUT.toNanos())
                .termBufferSparseFile(true)
                .warnIfDirectoryExists(false)
                .printConfigurationOnStart(false);
        try {
            return new EmbeddedDriver(MediaDriver.launch(context), directory);
        } catch (RuntimeException | Error e) {
            delete(directory);
            throw e;
        }
    }

    private static Path newDirectory() {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve(PREFIX + ProcessHandle.current().pid() + "-"
                + Integer.toUnsignedString(ThreadLocalRandom.current().nextInt(), 36));
    }

    /** {@return the Aeron directory, for {@code Aeron.Context.aeronDirectoryName}} */
    public Path directory() {
        return directory;
    }

    /** {@return what runs the driver's work, if it was launched to be invoked; {@code null} if it has its own thread} */
    public AgentInvoker invoker() {
        return driver.sharedAgentInvoker();
    }

    /**
     * Removes the directories of embedded drivers whose process has gone (killed before it could
     * remove its own). {@return how many it removed}
     */
    public static int removeOrphans() {
        int removed = 0;
        for (String base : new String[] {"/dev/shm", System.getProperty("java.io.tmpdir")}) {
            File[] dirs = new File(base).listFiles((dir, name) -> name.startsWith(PREFIX));
            for (File dir : dirs == null ? new File[0] : dirs) {
                String rest = dir.getName().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                delete(dir.toPath());
                removed++;
            }
        }
        return removed;
    }

    private static void delete(Path directory) {
        File dir = directory.toFile();
        if (dir.exists()) {
            IoUtil.delete(dir, true);
        }
    }

    /** Stops the driver and removes its directory; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.close();
        } finally {
            delete(directory);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedDriver[" + directory + "]";
    }
}
