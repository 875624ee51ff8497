package org.panamaipc.cli;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc shm} run as a process on real shared memory. */
@ExtendWith(NoLeakedObjects.class)
class ShmCommandTest {

    @Test
    @Timeout(60)
    void shouldCreateWriteAndDumpSharedMemory() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("shm-dump");

            IpcProcess.Result create = IpcProcess.run("shm", "create", name, "8K", "--mode", "0640");
            IpcProcess.Result write = IpcProcess.run("shm", "write", name, "--offset", "20", "hello, memory");
            IpcProcess.Result dump = IpcProcess.run("shm", "cat", name, "--length", "96");
            IpcProcess.Result json = IpcProcess.run("shm", "cat", name, "--offset", "20", "--length", "5", "--json");

            assertEquals(0, create.exitCode(), create::toString);
            assertEquals("created shared memory " + name + ": 8.0 KiB, rw-r----- (0640)\n", create.out());
            assertEquals(0, write.exitCode(), write::toString);
            assertEquals("wrote 13 bytes at offset 20 of " + name + "\n", write.out());
            try (SharedMemory shm = SharedMemory.open(name)) {
                assertEquals(8192, shm.size());
                byte[] bytes = shm.segment().asSlice(20, 13).toArray(ValueLayout.JAVA_BYTE);
                assertEquals("hello, memory", new String(bytes, StandardCharsets.UTF_8));
            }
            assertEquals(0, dump.exitCode(), dump::toString);
            assertEquals(List.of(
                    "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
                    "00000010  00 00 00 00 68 65 6c 6c  6f 2c 20 6d 65 6d 6f 72  |....hello, memor|",
                    "00000020  79 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |y...............|",
                    "00000030  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
                    "*",
                    "00000060"), dump.out().lines().toList(), dump::toString);
            assertEquals(0, json.exitCode(), json::toString);
            JsonObject parsed = TestObjects.json(json.out());
            assertEquals("68656c6c6f", parsed.get("hex").getAsString());
            assertEquals(8192, parsed.get("size").getAsLong());
        }
    }

    @Test
    @Timeout(60)
    void shouldWriteTheBytesThemselvesWithRaw() throws Exception {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("shm-raw");
            try (SharedMemory shm = SharedMemory.create(name, 4096)) {
                shm.segment().set(ValueLayout.JAVA_INT, 100, 0x01020304);
            }

            IpcProcess.Result raw = IpcProcess.run("shm", "cat", name, "--offset", "100", "--length", "4", "--raw");

            assertEquals(0, raw.exitCode(), raw::toString);
            assertEquals(List.of(4, 3, 2, 1), raw.out().chars().boxed().toList(), "the int's bytes, little-endian");
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseBadArgumentsAndObjectsInOneLine() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("shm-bad");
            String ring = objects.name("shm-ring");
            String missing = objects.name("shm-missing");
            SharedMemory.create(name, 4096).close();
            RingChannel.create(ring, ChannelOptions.of(ChannelType.SPSC).capacity(4096)).close();

            IpcProcess.Result process = IpcProcess.run("shm", "cat", missing);
            assertEquals(IpcCommand.FAILED, process.exitCode(), process::toString);
            assertEquals(List.of("ipc: Unable to open shared memory " + missing + " since it does not exist (ENOENT: No "
                    + "such file or directory)"), process.errLines(), process::toString);

            expect(IpcCommand.USAGE, "'12Q' is not a size", "shm", "create", missing, "12Q");
            expect(IpcCommand.USAGE, "SIZE must be more than 0", "shm", "create", missing, "0");
            expect(IpcCommand.FAILED, "already exists (EEXIST", "shm", "create", name, "4K");
            expect(IpcCommand.USAGE, "go past the end of " + name, "shm", "write", name, "--offset", "4090", "too long");
            expect(IpcCommand.USAGE, "is past the end of " + name, "shm", "cat", name, "--offset", "5000");
            expect(IpcCommand.USAGE, "is not hex digits", "shm", "write", name, "--hex", "xyz");
            expect(IpcCommand.FAILED, "does not exist (ENOENT", "shm", "cat", missing);
            expect(IpcCommand.FAILED, ring + " is a panama-ipc channel SPSC: writing into it can break its users; "
                    + "add --force", "shm", "write", ring, "x");
            expect(IpcCommand.USAGE, "give a subcommand", "shm");
        }
    }

    /**
     * Runs {@code ipc ARGS} in this JVM (a wrong argument needs no process of its own; the tests
     * above run the commands as processes) and expects one line on the error stream.
     */
    private static void expect(int exitCode, String reason, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals(1, run.err().lines().count(), () -> "one line: " + run);
        assertTrue(run.err().contains(reason), run::toString);
        assertTrue(run.err().startsWith("ipc"), run::toString);
    }

}
