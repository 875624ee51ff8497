package org.panamaipc.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The file descriptors this process has open, from {@code /proc/self/fd}: for tests that no descriptor leaks. */
public final class OpenDescriptors {

    /** What the listing's own directory descriptor links to. */
    private static final Path SELF_FD = Path.of("/proc/" + ProcessHandle.current().pid() + "/fd");

    private OpenDescriptors() {
    }

    /** {@return how many descriptors this process has open now, not counting the listing's own} */
    public static int count() {
        return list().size();
    }

    /** {@return each open descriptor as "N -> target", not counting the listing's own} */
    public static List<String> list() {
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (!target.equals(SELF_FD)) {
                        open.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one closed while we listed
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return open;
    }
}
