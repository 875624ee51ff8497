package org.panamaipc.demos;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.testkit.ChildProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's server, alone in its JVM: a process of another user (nobody, started with
 * {@code setpriv}) connects first and is refused on the credentials the kernel reports; a client
 * JVM of this user then connects and is served.
 */
class HandoffDemoTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** A Python that nobody may run (root's own, under /root, is out of its reach). */
    private static final String SYSTEM_PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldRefuseAProcessOfAnotherUserAndServeOneOfItsOwn() throws Exception {
        Assumptions.assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "needs root, to start a process as nobody");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(SYSTEM_PYTHON)), SYSTEM_PYTHON + " is missing");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // nobody may pass through
        Path socket = dir.resolve("handoff.sock");
        String stranger = """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                s.settimeout(60)
                s.connect(sys.argv[1])
                data, fds, flags, addr = socket.recv_fds(s, 1024, 4)
                print("stranger got", repr(data), "and", len(fds), "descriptors", flush=True)
                """;
        try (ChildProcess server = ChildProcess.java(HandoffDemo.class, "--serve", socket.toString(), "1")) {
            server.awaitOutput("listening on " + socket, DEADLINE);
            try (ChildProcess nobody = ChildProcess.program("nobody", "setpriv", "--reuid=nobody", "--regid=nogroup",
                    "--clear-groups", SYSTEM_PYTHON, "-c", stranger, socket.toString())) {
                nobody.assertSuccess(DEADLINE);
                assertTrue(nobody.output().contains("stranger got b'' and 0 descriptors"), nobody::output);
                server.awaitOutput("refused pid " + nobody.pid() + " (uid 65534, gid 65534): not your user", DEADLINE);
            }
            try (ChildProcess client = ChildProcess.java(HandoffDemo.class, "--client", socket.toString())) {
                client.assertSuccess(DEADLINE);
                assertTrue(client.output().contains("seals [SEAL, SHRINK, GROW] checked"), client::output);
                assertTrue(client.output().contains("all 3 replies received"), client::output);
                server.assertSuccess(DEADLINE);
                String output = server.output();
                Matcher served = Pattern.compile("pid (\\d+) \\(uid 0\\) is your user").matcher(output);
                assertTrue(served.find(), output);
                assertEquals(client.pid(), Long.parseLong(served.group(1)), "the kernel's pid of the client");
                assertTrue(output.contains("Check: 3 of 3 requests answered through sealed anonymous rings "
                        + "handed to 1 client JVM (1 of another user refused); nothing was named, nothing is left behind."),
                        output);
            }
        }
        assertFalse(Files.exists(socket), "the server removed its socket file");
    }
}
