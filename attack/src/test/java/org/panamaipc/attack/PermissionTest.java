package org.panamaipc.attack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.attack.children.PermissionPeer;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Permissions: every kind of named object is created with mode 0600 unless asked (st_mode of its
 * file in /dev/shm or /dev/mqueue), a wider mode is applied exactly whatever the umask, a process
 * of another user ({@code nobody}, started with {@code setpriv}) is refused with
 * PermissionDeniedException and changes nothing, and with mode 0666 it gets in and its use shows.
 * The other-user cases need root (to switch user) and are skipped, saying so, without it.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class PermissionTest {

    private static final List<String> KINDS = List.of("shm", "ring", "mq", "mutex", "semaphore", "event", "latch");
    private static final List<String> WITH_MODE = KINDS;
    private static Path classPathCopy;

    /** {@return the ids of every permission case} */
    static List<String> caseIds() {
        return cases().stream().map(MatrixCase::id).toList();
    }

    @TestFactory
    Stream<DynamicTest> permissions() {
        String replay = AttackMode.replay("permission");
        return cases().stream().filter(c -> !AttackMode.replaying() || c.id().equals(replay))
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> {
                    if (c.id().startsWith("other-user")) {
                        Assumptions.assumeTrue(isRoot(), "skipped: switching to another user (setpriv) needs root, and this "
                                + "JVM runs as uid " + uid());
                    }
                    Judge.judge("permissions", "permission:", c);
                }));
    }

    private static List<MatrixCase> cases() {
        List<MatrixCase> cases = new ArrayList<>();
        for (String kind : KINDS) {
            cases.add(new MatrixCase("default-mode:" + kind, kind, f -> {
                String name = f.fresh("perm");
                create(f, kind, name);
                Expect.that(mode(kind, name) == 0600, kind + " created with mode 0" + Integer.toOctalString(mode(kind, name))
                        + ", expected 0600");
            }));
            cases.add(new MatrixCase("mode-option:" + kind, kind, f -> Expect.that(hasModeOption(kind),
                    kind + ": docs/conventions.md gives every named object a mode at creation; no create method of "
                            + type(kind).getSimpleName() + " takes one")));
            cases.add(new MatrixCase("other-user-refused:" + kind, kind, f -> otherUser(f, kind, false)));
            cases.add(new MatrixCase("other-user-admitted:" + kind, kind, f -> otherUser(f, kind, true)));
        }
        for (String kind : WITH_MODE) {
            cases.add(new MatrixCase("wide-mode:" + kind, kind, f -> {
                String name = f.fresh("perm");
                Child c = Child.java(PermissionPeer.class, "create", kind, name)
                        .under("sh", "-c", "umask 0777; exec \"$0\" \"$@\"").label("perm-umask").start();
                Expect.that(c.waitFor(Duration.ofSeconds(60)) != null && c.output().contains("created"), c + ": " + c.output());
                Expect.that(mode(kind, name) == 0666, kind + " created with 0666 under umask 0777 has mode 0"
                        + Integer.toOctalString(mode(kind, name)));
            }));
        }
        return cases;
    }

    private static void otherUser(Fixture f, String kind, boolean admitted) throws Exception {
        String name = f.fresh("perm");
        create(f, kind, name);
        if (admitted) {
            if (WITH_MODE.contains(kind)) {
                SharedMemory.unlinkIfExists(name);
                MessageQueue.unlinkIfExists(name);
                f.keep(switch (kind) {
                    case "shm" -> SharedMemory.create(name, 4096, 0666);
                    case "ring" -> RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(4096).mode(0666));
                    case "mq" -> MessageQueue.create(name, QueueOptions.of(2, 64).mode(0666));
                    case "mutex" -> IpcMutex.create(name, 0666);
                    case "semaphore" -> IpcSemaphore.create(name, 1, 0666);
                    case "event" -> IpcEvent.create(name, IpcEvent.Type.MANUAL_RESET, 0666);
                    default -> IpcLatch.create(name, 1, 0666);
                });
            } else {
                // no mode at creation for this kind (see mode-option:): widen it as an administrator would
                Files.setPosixFilePermissions(file(kind, name), PosixFilePermissions.fromString("rw-rw-rw-"));
            }
        }
        Receiver receiver = kind.equals("ring") ? f.keep(RingChannel.open(name).receiver(WaitStrategy.blocking(), false)) : null;
        Child c = Child.java(PermissionPeer.class, "use", kind, name)
                .under(switchUser().toArray(String[]::new))
                .classPath(copiedClassPath()).label("perm-nobody").start();
        Expect.that(c.waitFor(Duration.ofSeconds(60)) != null, c + " did not finish: " + c.output());
        String out = c.output();
        if (!admitted) {
            Expect.that(out.contains("refused PermissionDeniedException"),
                    "another user must be refused a 0600 " + kind + " with PermissionDeniedException; it printed: " + out.strip());
        } else {
            Expect.that(out.contains("used"), "another user must get into a 0666 " + kind + "; it printed: " + out.strip());
        }
        String effect = effect(kind, name, receiver);
        Expect.that(admitted == (effect != null), admitted ? kind + ": the other user's use does not show"
                : kind + ": the refused user changed the object: " + effect);
    }

    /** {@return what the other user's use left in the object, or null if nothing} */
    private static String effect(String kind, String name, Receiver receiver) throws Exception {
        return switch (kind) {
            case "shm" -> {
                try (SharedMemory s = SharedMemory.open(name)) {
                    yield s.segment().get(ValueLayout.JAVA_BYTE, 0) == 42 ? "byte 0 is 42" : null;
                }
            }
            case "ring" -> {
                byte[] got = receiver.receiveBytes(Duration.ofMillis(500));
                yield got != null ? "message \"" + new String(got) + "\"" : null;
            }
            case "mq" -> {
                try (MessageQueue q = MessageQueue.open(name)) {
                    Message m = q.tryReceive();
                    yield m != null ? "message \"" + m.text() + "\"" : null;
                }
            }
            case "mutex" -> {
                try (IpcMutex m = IpcMutex.open(name)) {
                    yield m.acquisitions() > 0 ? m.acquisitions() + " acquisitions" : null;
                }
            }
            case "semaphore" -> {
                try (IpcSemaphore s = IpcSemaphore.open(name)) {
                    yield s.availablePermits() != 1 ? s.availablePermits() + " permits" : null;
                }
            }
            case "event" -> {
                try (IpcEvent e = IpcEvent.open(name)) {
                    yield e.isSet() ? "set" : null;
                }
            }
            default -> {
                try (IpcLatch l = IpcLatch.open(name)) {
                    yield l.count() != 1 ? "count " + l.count() : null;
                }
            }
        };
    }

    private static void create(Fixture f, String kind, String name) {
        f.keep(switch (kind) {
            case "shm" -> SharedMemory.create(name, 4096);
            case "ring" -> RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(4096));
            case "mq" -> MessageQueue.create(name, QueueOptions.of(2, 64));
            case "mutex" -> IpcMutex.create(name);
            case "semaphore" -> IpcSemaphore.create(name, 1);
            case "event" -> IpcEvent.create(name, IpcEvent.Type.MANUAL_RESET);
            default -> IpcLatch.create(name, 1);
        });
    }

    private static Class<?> type(String kind) {
        return switch (kind) {
            case "shm" -> SharedMemory.class;
            case "ring" -> ChannelOptions.class;
            case "mq" -> QueueOptions.class;
            case "mutex" -> IpcMutex.class;
            case "semaphore" -> IpcSemaphore.class;
            case "event" -> IpcEvent.class;
            default -> IpcLatch.class;
        };
    }

    /** {@return whether a public create (or, for rings, the options) of {@code kind} takes a parameter named mode} */
    private static boolean hasModeOption(String kind) {
        Class<?> type = type(kind);
        for (Method m : type.getMethods()) {
            if (!m.getName().equals("create") && !m.getName().equals("mode") && !m.getName().equals("openOrCreate")) {
                continue;
            }
            for (int i = 0; i < m.getParameterCount(); i++) {
                if (m.getParameterTypes()[i] == int.class && ParameterNames.of(m, type, i).equals("mode")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Path file(String kind, String name) {
        return Path.of(kind.equals("mq") ? "/dev/mqueue" : "/dev/shm", name.substring(1));
    }

    private static int mode(String kind, String name) throws IOException {
        return (Integer) Files.getAttribute(file(kind, name), "unix:mode") & 0777;
    }

    private static boolean isRoot() {
        return uid() == 0;
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> switchUser() {
        if (Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv"))) {
            return List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
        }
        return List.of("runuser", "-u", "nobody", "--");
    }

    /**
     * {@return a class path that user nobody can read}: this module's classes and the project's
     * (the test class path's entries outside the local Maven repository, which is root's) copied
     * to a world-readable directory.
     */
    private static synchronized String copiedClassPath() throws IOException {
        if (classPathCopy == null) {
            Path dir = Files.createTempDirectory("pipc-attack-cp-");
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path source = Path.of(entry);
                if (entry.contains("/.m2/") || !Files.exists(source)) {
                    continue;
                }
                Path target = dir.resolve(i++ + "-" + source.getFileName());
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path to = target.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(p, to);
                        }
                    }
                }
                entries.add(target.toString());
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            classPathCopy = dir;
            copiedEntries = String.join(java.io.File.pathSeparator, entries);
        }
        return copiedEntries;
    }

    private static String copiedEntries;

    @AfterAll
    static void removeCopy() throws IOException {
        if (classPathCopy != null) {
            try (Stream<Path> walk = Files.walk(classPathCopy)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
