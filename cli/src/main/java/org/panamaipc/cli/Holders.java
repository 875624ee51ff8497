package org.panamaipc.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which processes hold a shared-memory object or a message queue now, read from {@code /proc}:
 * a process that maps {@code /dev/shm/NAME} (its {@code maps}) or has it open (its {@code fd}
 * links), and a process with a descriptor of queue {@code /NAME}. This process is left out. It is
 * what the kernel knows, for any object, ours or not; a process whose {@code /proc} entries this
 * user may not read is not seen ({@link #unreadable()} lists them).
 */
final class Holders {

    private static final Path PROC = Path.of("/proc");
    private static final String SHM_PREFIX = "/dev/shm/";
    private static final String DELETED = " (deleted)";

    private final Map<String, Set<Long>> segments = new HashMap<>();
    private final Map<String, Set<Long>> queues = new HashMap<>();
    private final Set<Long> unreadable = new TreeSet<>();
    private boolean complete = true;

    private Holders() {
    }

    /** {@return no holders at all: for a look at an object's header alone, without the cost of a scan} */
    static Holders none() {
        return new Holders();
    }

    /** {@return the holders of every object, as {@code /proc} shows them now} */
    static Holders scan() {
        Holders holders = new Holders();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                long pid;
                try {
                    pid = Long.parseLong(process.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != self) {
                    holders.scanMaps(pid, process.resolve("maps"));
                    holders.scanDescriptors(pid, process.resolve("fd"));
                }
            }
        } catch (IOException | RuntimeException e) {
            holders.complete = false;
        }
        return holders;
    }

    private void scanMaps(long pid, Path maps) {
        try (BufferedReader reader = Files.newBufferedReader(maps)) {
            String line;
            while ((line = reader.readLine()) != null) {
                int at = line.indexOf(SHM_PREFIX);
                if (at < 0 || line.endsWith(DELETED)) {
                    continue; // a mapping of an object whose name has been removed is another object's
                }
                String name = "/" + line.substring(at + SHM_PREFIX.length());
                segments.computeIfAbsent(name, k -> new TreeSet<>()).add(pid);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // the process ended meanwhile
        } catch (java.nio.file.AccessDeniedException e) {
            unreadable.add(pid);
        } catch (IOException | RuntimeException e) {
            complete = false;
        }
    }

    private void scanDescriptors(long pid, Path fdDirectory) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(fdDirectory)) {
            for (Path fd : descriptors) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (java.nio.file.AccessDeniedException e) {
                    unreadable.add(pid);
                    return;
                } catch (IOException | UnsupportedOperationException closed) {
                    continue;
                }
                if (target.startsWith(SHM_PREFIX) && !target.endsWith(DELETED)) {
                    segments.computeIfAbsent("/" + target.substring(SHM_PREFIX.length()), k -> new TreeSet<>()).add(pid);
                } else if (target.length() > 1 && target.charAt(0) == '/' && target.indexOf('/', 1) < 0
                        && !target.endsWith(DELETED)) {
                    // a queue descriptor's link is the queue's name, "/orders"; a file at the root of the
                    // file system looks the same, which is why queues() is asked only for queue names
                    queues.computeIfAbsent(target, k -> new TreeSet<>()).add(pid);
                }
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // the process ended meanwhile
        } catch (java.nio.file.AccessDeniedException e) {
            unreadable.add(pid);
        } catch (IOException | RuntimeException e) {
            complete = false;
        }
    }

    /** {@return the pids that map or hold open the shared-memory object {@code name}, this one left out} */
    Set<Long> ofSegment(String name) {
        return segments.getOrDefault(name, Set.of());
    }

    /** {@return the pids that hold a descriptor of the queue {@code name}, this one left out} */
    Set<Long> ofQueue(String name) {
        return queues.getOrDefault(name, Set.of());
    }

    /**
     * {@return false if the scan failed part-way} Processes whose entries this user may not read
     * are in {@link #unreadable()} instead.
     */
    boolean complete() {
        return complete;
    }

    /** {@return the processes whose {@code /proc} entries could not be read (another user's, without root)} */
    Set<Long> unreadable() {
        return unreadable;
    }
}
