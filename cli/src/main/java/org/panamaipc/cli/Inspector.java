package org.panamaipc.cli;

import org.panamaipc.Access;
import org.panamaipc.IpcException;
import org.panamaipc.NotFoundException;
import org.panamaipc.PermissionDeniedException;
import org.panamaipc.channel.ChannelDescriptor;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.EventDescriptor;
import org.panamaipc.sync.LatchDescriptor;
import org.panamaipc.sync.MutexDescriptor;
import org.panamaipc.sync.SemaphoreDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.panamaipc.shm.SegmentHeaderDescriptor.*;

/**
 * Finds the objects on this machine and reads what they are, for {@code ls}, {@code stat} and
 * {@code rm}. A segment is mapped read-only and recognised by its header (magic, kind, version,
 * sizes, ready word) with {@link IpcSegment#validate}; nothing it holds is trusted, and a corrupt,
 * foreign, empty or unreadable object is reported as such, never as an exception.
 */
final class Inspector {

    static final Path SHM_DIRECTORY = Path.of("/dev/shm");
    /**
     * Where the {@code mqueue} file system is looked for: {@code /dev/mqueue}, or the system
     * property {@value #MQUEUE_PROPERTY} (for a machine that mounts it elsewhere, and for tests).
     */
    static final Path MQUEUE_DIRECTORY = Path.of(System.getProperty(Inspector.MQUEUE_PROPERTY, "/dev/mqueue"));
    /** The system property that names the mount point of the {@code mqueue} file system. */
    static final String MQUEUE_PROPERTY = "panama.ipc.mqueue.mount";

    private Inspector() {
    }

    /** {@return the names of the objects in {@code /dev/shm}, sorted: regular files, as {@code /NAME}} */
    static List<String> segmentNames() throws IOException {
        return names(SHM_DIRECTORY);
    }

    /** {@return the names of the queues, sorted, or an empty list if {@code /dev/mqueue} is not mounted} */
    static List<String> queueNames() throws IOException {
        return mqueueMounted() ? names(MQUEUE_DIRECTORY) : List.of();
    }

    private static List<String> names(Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    names.add("/" + entry.getFileName());
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** {@return whether the {@code mqueue} file system is mounted at {@code /dev/mqueue}, where queues can be listed} */
    static boolean mqueueMounted() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 2 && fields[1].equals(MQUEUE_DIRECTORY.toString())
                            && fields[2].equals("mqueue"));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** {@return whether shared memory {@code name} exists} */
    static boolean segmentExists(String name) {
        return Files.exists(SHM_DIRECTORY.resolve(name.substring(1)), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** {@return whether queue {@code name} exists} */
    static boolean queueExists(String name) {
        return MessageQueue.exists(name);
    }

    /** {@return what the object {@code name} in {@code /dev/shm} is, or null if it has gone} */
    static SegmentInfo segment(String name, Holders holders) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(SHM_DIRECTORY.resolve(name.substring(1)), PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            SegmentInfo info = new SegmentInfo(name, -1, 0, "?");
            info.status = SegmentInfo.Status.UNREADABLE;
            info.problem = e.getMessage();
            return info;
        }
        SegmentInfo info = new SegmentInfo(name, attributes.size(), mode(attributes.permissions()),
                attributes.owner().getName());
        info.holders = holders.ofSegment(name);
        if (attributes.size() == 0) {
            info.status = SegmentInfo.Status.EMPTY;
            return info;
        }
        try (SharedMemory shm = SharedMemory.open(name, Access.READ_ONLY)) {
            read(info, shm.segment());
        } catch (NotFoundException e) {
            return null;
        } catch (PermissionDeniedException e) {
            info.status = SegmentInfo.Status.UNREADABLE;
            info.problem = e.getMessage();
        } catch (InvalidSegmentException e) {
            info.status = e.reason() == InvalidSegmentException.Reason.EMPTY ? SegmentInfo.Status.EMPTY
                    : SegmentInfo.Status.CORRUPT;
            info.problem = e.getMessage();
        } catch (IpcException e) {
            info.status = SegmentInfo.Status.UNREADABLE;
            info.problem = e.getMessage();
        } catch (InternalError | IndexOutOfBoundsException e) {
            // a fault reading the mapping: the object was truncated under us
            info.status = SegmentInfo.Status.CORRUPT;
            info.problem = "it changed size while being read: " + e.getMessage();
        }
        return info;
    }

    private static void read(SegmentInfo info, MemorySegment all) {
        if (all.byteSize() < HEADER_SIZE || all.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) != MAGIC) {
            info.status = SegmentInfo.Status.FOREIGN;
            return;
        }
        info.kindCode = all.get(ValueLayout.JAVA_INT, KIND_OFFSET);
        info.kind = SegmentKind.ofCode(info.kindCode);
        info.layoutVersion = all.get(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET);
        int pid = all.get(ValueLayout.JAVA_INT, CREATOR_PID_OFFSET);
        // a pid of 0 or less is no process: the header is not written yet, or written wrong; the
        // creator is then unknown, and the object is never taken for stale
        info.creator = pid > 0 ? new ProcessId(pid, all.get(ValueLayout.JAVA_LONG, CREATOR_START_TIME_OFFSET)) : null;
        info.creatorAlive = info.creator != null && info.creator.isAlive();
        info.createdMillis = all.get(ValueLayout.JAVA_LONG, CREATION_TIME_OFFSET);
        int ready = (int) ValueLayout.JAVA_INT.varHandle().getAcquire(all, (long) READY_OFFSET);
        if (ready != READY) {
            info.status = SegmentInfo.Status.NOT_READY;
            info.problem = info.creator == null ? "it is not marked ready, and names no creator"
                    : info.creatorAlive ? "its creator, pid " + pid + ", is still creating it"
                    : "its creator, pid " + pid + ", died before marking it ready";
            return;
        }
        if (info.creator == null) {
            info.status = SegmentInfo.Status.CORRUPT;
            info.problem = "its creator pid " + pid + " is no process";
            return;
        }
        if (info.kind == null) {
            info.status = SegmentInfo.Status.UNKNOWN_KIND;
            info.problem = "kind " + info.kindCode + " is unknown to this version of ipc";
            return;
        }
        IpcSegment.validate(info.name, all, info.kind, minBodySize(info.kind)); // InvalidSegmentException: corrupt
        info.status = SegmentInfo.Status.OK;
        MemorySegment body = all.asSlice(HEADER_SIZE);
        switch (info.kind) {
            case CHANNEL -> {
                info.channel = ChannelView.read(body);
                if (info.channel.problem() != null) {
                    info.status = SegmentInfo.Status.CORRUPT;
                    info.problem = info.channel.problem();
                }
            }
            case MUTEX -> mutex(info, body);
            case SEMAPHORE -> {
                info.details.put("permits", body.get(ValueLayout.JAVA_INT, SemaphoreDescriptor.PERMITS_OFFSET));
                info.details.put("initialPermits", body.get(ValueLayout.JAVA_INT, SemaphoreDescriptor.MAX_PERMITS_OFFSET));
                info.details.put("waiters", body.get(ValueLayout.JAVA_INT, SemaphoreDescriptor.WAITERS_OFFSET));
            }
            case EVENT -> {
                info.details.put("set", body.get(ValueLayout.JAVA_INT, EventDescriptor.STATE_OFFSET) == EventDescriptor.SET);
                info.details.put("autoReset", body.get(ValueLayout.JAVA_INT, EventDescriptor.AUTO_RESET_OFFSET) != 0);
                info.details.put("waiters", body.get(ValueLayout.JAVA_INT, EventDescriptor.WAITERS_OFFSET));
            }
            case LATCH -> {
                info.details.put("count", body.get(ValueLayout.JAVA_INT, LatchDescriptor.COUNT_OFFSET));
                info.details.put("initialCount", body.get(ValueLayout.JAVA_INT, LatchDescriptor.INITIAL_COUNT_OFFSET));
            }
            default -> {
                // a kind with nothing more to show
            }
        }
    }

    /** The owner of a mutex, read as a waiter reads it: the word decides, the record tells dead from alive. */
    private static void mutex(SegmentInfo info, MemorySegment body) {
        int word = body.get(ValueLayout.JAVA_INT, MutexDescriptor.WORD_OFFSET);
        int owner = word & MutexDescriptor.OWNER_MASK;
        info.details.put("locked", owner != 0);
        if (owner != 0) {
            int sequence = body.get(ValueLayout.JAVA_INT, MutexDescriptor.OWNER_SEQUENCE_OFFSET);
            long startTime = body.get(ValueLayout.JAVA_LONG, MutexDescriptor.OWNER_START_TIME_OFFSET);
            int pidCopy = body.get(ValueLayout.JAVA_INT, MutexDescriptor.OWNER_PID_OFFSET);
            boolean recorded = (sequence & 1) == 0 && pidCopy == owner
                    && body.get(ValueLayout.JAVA_INT, MutexDescriptor.OWNER_SEQUENCE_OFFSET) == sequence;
            info.details.put("owner", owner);
            info.details.put("ownerAlive", ProcessId.isAlive(owner, recorded ? startTime : 0));
            info.details.put("waiters", (word & MutexDescriptor.WAITERS) != 0);
        }
        info.details.put("ownerDied", body.get(ValueLayout.JAVA_INT, MutexDescriptor.OWNER_DIED_OFFSET) != 0);
        info.details.put("acquisitions", body.get(ValueLayout.JAVA_LONG, MutexDescriptor.ACQUISITIONS_OFFSET));
        info.details.put("takeovers", body.get(ValueLayout.JAVA_LONG, MutexDescriptor.TAKEOVERS_OFFSET));
    }

    /** {@return the least body a kind's segment must have, as its own open asks} */
    static long minBodySize(SegmentKind kind) {
        return switch (kind) {
            case CHANNEL -> ChannelDescriptor.ENDPOINTS_OFFSET;
            case MUTEX -> MutexDescriptor.SIZE;
            case SEMAPHORE -> SemaphoreDescriptor.SIZE;
            case EVENT -> EventDescriptor.SIZE;
            case LATCH -> LatchDescriptor.SIZE;
            default -> 0;
        };
    }

    /** {@return what queue {@code name} is, or null if it does not exist} */
    static QueueInfo queue(String name, Holders holders) {
        long queued = -1;
        long notifyPid = 0;
        String status = readQueueFile(name);
        if (status != null) {
            queued = field(status, "QSIZE:");
            notifyPid = Math.max(0, field(status, "NOTIFY_PID:"));
        }
        Set<Long> holding = holders.ofQueue(name);
        try (MessageQueue queue = MessageQueue.open(name, Access.READ_ONLY)) {
            return new QueueInfo(name, queue.maxMessages(), queue.maxMessageLength(), queue.messageCount(), queue.mode(),
                    queued, notifyPid, holding, null);
        } catch (NotFoundException e) {
            return null;
        } catch (IpcException e) {
            return new QueueInfo(name, -1, -1, -1, -1, queued, notifyPid, holding, e.getMessage());
        }
    }

    /** {@return the text of {@code /dev/mqueue/NAME}, or null if it is not mounted or gone} */
    private static String readQueueFile(String name) {
        Path file = MQUEUE_DIRECTORY.resolve(name.substring(1));
        // a file of the mqueue file system reads as one line; its size reads as the bytes queued
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static long field(String status, String key) {
        int at = status.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int end = at + key.length();
        while (end < status.length() && Character.isDigit(status.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(status.substring(at + key.length(), end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }
}
