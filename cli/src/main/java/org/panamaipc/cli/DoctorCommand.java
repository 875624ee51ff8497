package org.panamaipc.cli;

import org.panamaipc.IpcException;
import org.panamaipc.demos.ChildJvm;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ipc doctor}: reports what panama-ipc depends on (the Java runtime, {@code /dev/shm}, the
 * kernel's POSIX message-queue limits), checks with a second JVM that a futex wait in one process
 * is woken by another, and for each transport (ring channels, message queues, named pipes, Unix
 * sockets with descriptor passing, anonymous memory) says what it needs, which limits it will meet
 * here, and checks that it works ({@link TransportChecks}). Exits with 0 if every check passes, 1
 * otherwise.
 */
@Command(name = "doctor",
        description = {
                "Checks this machine for panama-ipc.",
                "Reports the Java runtime and /dev/shm, checks that a futex wait in one JVM is woken by another, "
                        + "and for each transport (ring channels, message queues, named pipes, Unix sockets, "
                        + "anonymous memory) says what it needs and which limits it will meet here, and checks "
                        + "that it works. Exits with 0 if every check passes, 1 otherwise."},
        mixinStandardHelpOptions = true)
public final class DoctorCommand implements Callable<Integer> {

    /** The deadline of the futex check, from starting the child JVM to its exit. */
    public static final Duration FUTEX_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private static final int REQUIRED_JAVA = 25;
    private static final Path SHM = Path.of("/dev/shm");
    private static final Path MQUEUE_MOUNT = Path.of("/dev/mqueue");
    private static final String MQUEUE_SYSCTLS = "/proc/sys/fs/mqueue/";
    private static final long LOW_SHM_BYTES = 64L << 20;
    /** Kernel bookkeeping per message slot of a queue (struct msg_msg and a tree node), roughly. */
    private static final long MQ_OVERHEAD_PER_MESSAGE = 48 + 40;

    private static final boolean MICRO_SIGN_PRINTABLE =
            Charset.forName(System.getProperty("stdout.encoding", "UTF-8"), StandardCharsets.UTF_8)
                    .newEncoder().canEncode('µ');

    @Spec
    private CommandSpec spec;

    /** Created by picocli. */
    public DoctorCommand() {
    }

    @Override
    public Integer call() throws InterruptedException {
        Report report = new Report();
        java(report);
        machine(report);
        sharedMemory(report);
        futex(report);
        TransportChecks.ringChannels(report);
        messageQueues(report);
        TransportChecks.messageQueueCheck(report);
        TransportChecks.namedPipes(report);
        TransportChecks.descriptorPassing(report);
        TransportChecks.anonymousMemory(report);
        report.print(spec.commandLine().getOut());
        return report.failures().isEmpty() ? 0 : 1;
    }

    private static void java(Report report) {
        report.section("Java");
        Runtime.Version version = Runtime.version();
        if (version.feature() >= REQUIRED_JAVA) {
            report.ok("version", version + " (OK: " + REQUIRED_JAVA + " or newer is needed)");
        } else {
            report.fail("version", version + " is too old: install a JDK " + REQUIRED_JAVA + " or newer");
        }
        report.info("vendor", System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name"));
        report.info("home", System.getProperty("java.home"));
        if (SharedMemory.class.getModule().isNativeAccessEnabled()) {
            report.ok("native access", "enabled (OK)");
        } else {
            report.warn("native access", "not enabled; run java with --enable-native-access=ALL-UNNAMED\n"
                    + "(the ipc launcher does): without it the JDK prints a warning, and a future JDK will refuse");
        }
    }

    private static void machine(Report report) {
        report.section("Machine");
        report.info("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        report.info("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    private static void sharedMemory(Report report) {
        report.section("Shared memory (" + SHM + ")");
        if (!Files.isDirectory(SHM)) {
            report.fail("mounted", SHM + " is missing; POSIX shared memory needs a tmpfs there:\n"
                    + "mount -t tmpfs -o size=1g tmpfs " + SHM);
            return;
        }
        try {
            FileStore store = Files.getFileStore(SHM);
            if (store.type().equals("tmpfs")) {
                report.ok("filesystem", "tmpfs (OK: memory-backed)");
            } else {
                report.warn("filesystem", store.type() + ", not tmpfs: segments may be written to disk");
            }
            report.info("size", bytes(store.getTotalSpace()));
            long free = store.getUsableSpace();
            if (free < LOW_SHM_BYTES) {
                report.warn("free", bytes(free) + "; raise it with: mount -o remount,size=1g " + SHM);
            } else {
                report.info("free", bytes(free));
            }
            if (Files.isWritable(SHM)) {
                report.ok("writable", "yes (OK)");
            } else {
                report.fail("writable", "no: this user cannot create shared memory in " + SHM);
            }
            try (Stream<Path> entries = Files.list(SHM)) {
                report.info("objects", entries.count() + " now (ipc demo and ipc doctor remove theirs)");
            }
        } catch (IOException e) {
            report.fail("filesystem", "unreadable: " + e.getMessage());
        }
    }

    private static void messageQueues(Report report) {
        report.section("POSIX message queues");
        String[][] sysctls = {
                {"msg_max", "messages, the most a queue may hold"},
                {"msgsize_max", "bytes, the largest message"},
                {"queues_max", "queues, the most on this machine"},
                {"msg_default", "messages per queue, unless given"},
                {"msgsize_default", "bytes per message, unless given"}};
        Long msgDefault = null;
        Long msgsizeDefault = null;
        for (String[] sysctl : sysctls) {
            String value = readProc(MQUEUE_SYSCTLS + sysctl[0]);
            if (value == null) {
                report.fail(sysctl[0], MQUEUE_SYSCTLS + sysctl[0] + " is missing: this kernel has no POSIX"
                        + " message queues (CONFIG_POSIX_MQUEUE)");
                continue;
            }
            report.info(sysctl[0], value + " " + sysctl[1] + " (fs.mqueue." + sysctl[0] + ")");
            if (sysctl[0].equals("msg_default")) {
                msgDefault = parseLong(value);
            } else if (sysctl[0].equals("msgsize_default")) {
                msgsizeDefault = parseLong(value);
            }
        }
        String rlimit = rlimit("Max msgqueue size");
        if (rlimit == null) {
            report.warn("RLIMIT_MSGQUEUE", "unknown: /proc/self/limits has no \"Max msgqueue size\" row");
        } else if (rlimit.equals("unlimited")) {
            report.info("RLIMIT_MSGQUEUE", "unlimited (ulimit -q)");
        } else {
            String room = "";
            Long limit = parseLong(rlimit);
            if (limit != null && msgDefault != null && msgsizeDefault != null && msgDefault > 0) {
                long perQueue = msgDefault * (msgsizeDefault + MQ_OVERHEAD_PER_MESSAGE);
                room = ", room for about " + limit / perQueue + " queues of the default size";
            }
            report.info("RLIMIT_MSGQUEUE", rlimit + " bytes per user" + room + " (ulimit -q)");
        }
        if (mqueueMounted()) {
            report.info(MQUEUE_MOUNT.toString(), "mounted (queues can be listed there)");
        } else {
            report.info(MQUEUE_MOUNT.toString(), "not mounted; queues still work, and to list them:\n"
                    + "mkdir -p " + MQUEUE_MOUNT + " && mount -t mqueue none " + MQUEUE_MOUNT);
        }
    }

    /**
     * Creates a segment, starts a child JVM that waits on a futex word in it, and wakes it from here:
     * {@code wake(1)} is repeated every millisecond until it reports one waiter woken, which happens
     * only once the child sleeps in the kernel.
     */
    private static void futex(Report report) throws InterruptedException {
        report.section("Futex");
        String row = "wake across JVMs";
        String name = "/pipc-doctor-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime() & 0xffffffL);
        long deadline = System.nanoTime() + FUTEX_CHECK_TIMEOUT.toNanos();
        boolean created = false;
        Path log = null;
        Process child = null;
        try (SharedMemory shm = SharedMemory.create(name, FutexProbe.SEGMENT_SIZE)) {
            created = true;
            Futex word = Futex.of(shm.segment(), FutexProbe.WORD_OFFSET);
            log = Files.createTempFile("pipc-doctor-", ".log");
            long startedAt = System.nanoTime();
            child = ChildJvm.start(FutexProbe.class, List.of(name), Redirect.to(log.toFile()));
            long wakeAt;
            while (true) {
                long now = System.nanoTime();
                if (word.wake(1) == 1) {
                    wakeAt = now;
                    break;
                }
                if (!child.isAlive()) {
                    report.fail(row, "the child JVM exited with code " + child.exitValue()
                            + " before it waited on the futex" + childOutput(log));
                    return;
                }
                if (now - deadline >= 0) {
                    report.fail(row, "the child JVM did not wait on the futex within "
                            + FUTEX_CHECK_TIMEOUT.toSeconds() + " s" + childOutput(log));
                    return;
                }
                Thread.sleep(1);
            }
            if (!child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                report.fail(row, "the child JVM was woken but did not exit within "
                        + FUTEX_CHECK_TIMEOUT.toSeconds() + " s" + childOutput(log));
                return;
            }
            if (child.exitValue() != 0) {
                report.fail(row, "the child JVM was woken but exited with code " + child.exitValue()
                        + childOutput(log));
                return;
            }
            long wokenAt = shm.segment().get(ValueLayout.JAVA_LONG, FutexProbe.WOKEN_AT_OFFSET);
            report.ok(row, "OK, the child returned from its wait " + elapsed(wokenAt - wakeAt) + " after FUTEX_WAKE\n"
                    + "(a first, cold call; child JVM pid " + child.pid() + " was waiting "
                    + elapsed(wakeAt - startedAt) + " after it was started)");
        } catch (IpcException | IOException e) {
            report.fail(row, e.getMessage());
        } finally {
            ChildJvm.stop(child, Duration.ZERO); // kills it if it is still running
            if (created) {
                SharedMemory.unlinkIfExists(name);
            }
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temporary file; nothing else to do
                }
            }
        }
    }

    private static String childOutput(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            if (lines.isEmpty()) {
                return " (it printed nothing)";
            }
            List<String> tail = lines.subList(Math.max(0, lines.size() - 10), lines.size());
            return "; its output ends:\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * {@return the trimmed content of a {@code /proc} file, or null} Read in one call with a large
     * buffer: a {@code /proc/sys} file answers only a read at offset 0, and {@code Files.readString}
     * of a file whose size reads as 0 first reads a single byte, so it would return "1" for "10".
     */
    private static String readProc(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** {@return the soft limit on the row of /proc/self/limits that starts with {@code name}, or null} */
    private static String rlimit(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(name)) {
                    String[] columns = line.substring(name.length()).trim().split("\\s+");
                    return columns[0];
                }
            }
        } catch (IOException | SecurityException e) {
            // unknown
        }
        return null;
    }

    private static boolean mqueueMounted() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 2 && fields[1].equals(MQUEUE_MOUNT.toString())
                            && fields[2].equals("mqueue"));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String bytes(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String elapsed(long nanos) {
        if (nanos < 1_000_000) {
            return Math.max(0, nanos / 1_000) + (MICRO_SIGN_PRINTABLE ? " µs" : " us");
        }
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
