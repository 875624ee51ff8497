package org.panamaipc.process;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.signal_h;
import org.panamaipc.internal.Errno;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A process named so that a reused pid cannot be mistaken for it: its pid together with its start
 * time (field 22 of {@code /proc/<pid>/stat}, clock ticks after boot). Two processes that ever get
 * the same pid have different start times, so {@link #isAlive()} on the identity of a process that
 * has died says {@code false} even after the pid is given to another process.
 *
 * <p>panama-ipc records a {@code ProcessId} in shared memory for every process that owns or uses
 * a shared structure (the owner of a mutex, the creator of a segment, the endpoints of a channel),
 * so that whoever waits on it can tell a slow peer from a dead one.
 */
public record ProcessId(int pid, long startTime) {

    private static final ProcessId CURRENT = of((int) ProcessHandle.current().pid());

    /** {@return this process's identity} */
    public static ProcessId current() {
        return CURRENT;
    }

    /**
     * {@return the identity of the running process {@code pid}, or {@code null} if there is none}
     */
    public static ProcessId of(int pid) {
        long start = startTime(pid);
        return start < 0 ? null : new ProcessId(pid, start);
    }

    /**
     * {@return whether this process still runs} False once it has exited, even if it is a zombie
     * its parent has not yet reaped, and false if its pid now belongs to another process. A
     * process runs as long as any of its threads does, even after its first (main) thread has
     * ended; when {@code /proc} cannot be read (out of file descriptors, say), the answer is
     * {@code true}: a process is never declared dead without evidence.
     */
    public boolean isAlive() {
        return isAlive(pid, startTime);
    }

    /**
     * {@return whether process {@code pid} started at {@code startTime} still runs} A
     * {@code startTime} of 0 means unknown: only the pid is checked (not safe against reuse).
     */
    public static boolean isAlive(int pid, long startTime) {
        if (pid <= 0) {
            return false;
        }
        // cheap first: no such pid at all (ESRCH) means dead for sure
        if (signal_h.kill(pid, 0) != 0 && Errno.last() == errno_h.ESRCH()) {
            return false;
        }
        String stat = readStat(pid);
        if (stat == null) {
            return false;
        }
        if (stat.isEmpty()) {
            return true; // cannot read /proc now: never declare a process dead without evidence
        }
        String[] fields = fieldsAfterName(stat);
        if (fields.length < 20) {
            return false;
        }
        if (startTime != 0 && Long.parseLong(fields[19]) != startTime) {
            return false; // the pid belongs to another process now
        }
        char state = fields[0].charAt(0);
        // the state is the first thread's: a zombie leader may still have live threads
        return !ended(state) || anyThreadRuns(pid);
    }

    private static boolean ended(char state) {
        return state == 'Z' || state == 'X';
    }

    /**
     * {@return whether a thread of {@code pid} has not ended} A process whose first thread called
     * {@code pthread_exit} shows that thread as a zombie in {@code /proc/<pid>/stat} while its
     * other threads run on; once the whole process has exited, only the zombie leader is left.
     */
    private static boolean anyThreadRuns(int pid) {
        Path tasks = Path.of("/proc", Integer.toString(pid), "task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (NoSuchFileException threadGone) {
                    continue;
                }
                String[] fields = fieldsAfterName(stat);
                if (fields.length > 0 && !fields[0].isEmpty() && !ended(fields[0].charAt(0))) {
                    return true;
                }
            }
            return false;
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException | SecurityException | DirectoryIteratorException e) {
            return true; // cannot read /proc now: never declare a process dead without evidence
        }
    }

    /** {@return the start time of {@code pid} in clock ticks after boot, or -1 if there is no such process} */
    public static long startTime(int pid) {
        String stat = readStat(pid);
        if (stat == null || stat.isEmpty()) {
            return -1;
        }
        String[] fields = fieldsAfterName(stat);
        return fields.length >= 20 ? Long.parseLong(fields[19]) : -1;
    }

    /**
     * {@return the fields of a /proc/&lt;pid&gt;/stat line after the command name}, which may itself
     * hold spaces and parentheses: index 0 is the state (field 3), index 19 the start time (field 22)
     */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** /proc/&lt;pid&gt;/stat; {@code null} if there is no such process; {@link #UNKNOWN} if it cannot be read now. */
    private static String readStat(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException | SecurityException e) {
            // out of file descriptors, say: that is no evidence the process is dead
            return UNKNOWN;
        }
    }

    /** What {@link #readStat} returns when it cannot tell. */
    private static final String UNKNOWN = "";

    @Override
    public String toString() {
        return "pid " + pid + " (started at tick " + startTime + ")";
    }
}
