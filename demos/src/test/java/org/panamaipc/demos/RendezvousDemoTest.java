package org.panamaipc.demos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.testkit.ChildProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rendezvous demo runs end to end in its own JVM (which starts the receiver's), and proves what it says. */
class RendezvousDemoTest {

    @Test
    @Timeout(120)
    void shouldHandOverJobsWithdrawAnOfferAndReportADeadReceiver() throws Exception {
        try (ChildProcess demo = ChildProcess.java(RendezvousDemo.class)) {
            demo.assertSuccess(Duration.ofSeconds(90));
            String output = demo.output();
            for (int k = 1; k <= RendezvousDemo.JOBS; k++) {
                assertTrue(output.contains("\"" + RendezvousDemo.job(k) + "\" is in the receiver's ledger already"), output);
                assertTrue(output.contains("] took job " + k + " into the ledger"), output);
            }
            assertTrue(output.contains("withdrawn after"), output);
            assertTrue(output.contains("looked again: nothing was left for me"), output);
            assertTrue(output.contains("the send returned CLOSED"), output);
            assertTrue(output.contains("Check: 5 jobs handed over, each in the receiver's ledger when its send returned;"),
                    output);
            try (Stream<Path> left = Files.list(Path.of("/dev/shm"))) {
                assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith("pipc-demo-" + demo.pid())).count(),
                        "the demo removed its objects");
            }
        }
    }
}
