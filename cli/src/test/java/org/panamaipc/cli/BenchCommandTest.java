package org.panamaipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc bench} with sizes a transport cannot carry, and with transports that do not exist. */
class BenchCommandTest {

    @Test
    @Timeout(180)
    void shouldSkipTransportsThatCannotCarryTheSizeAndExitWithZero(@TempDir Path dir) throws Exception {
        IpcProcess.Result run = IpcProcess.run("bench", "--quick", "--transports", "mq,mapped", "--sizes", "65536",
                "--out", dir.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("skipped mq at 65536 B: ")), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("skipped mapped/256 at 65536 B: ")), run::toString);
        assertFalse(run.out().contains("Exception") || run.err().contains("Exception"), run::toString);
        assertFalse(run.out().contains("FAILED"), run::toString);
        String json = Files.readString(dir.resolve("results.json"));
        assertTrue(json.contains("\"skipped\""), json);
    }

    @Test
    @Timeout(60)
    void shouldRefuseAMalformedTransportBeforeMeasuringAnything(@TempDir Path dir) throws Exception {
        for (String spec : new String[] {"typed:spin", "ring:SPSC:sleepy", "ring:SPSC", "warp-drive"}) {
            IpcProcess.Result run = IpcProcess.run("bench", "--quick", "--transports", "ring:SPSC:spin," + spec,
                    "--out", dir.toString());

            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("--transports: " + spec + " is not a transport"), run::toString);
            assertFalse(run.out().contains("round trip") || Files.exists(dir.resolve("results.json")), run::toString);
        }
    }
}
