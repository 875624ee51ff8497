package org.panamaipc.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class LimitsTest {

    @Test
    void shouldReadWholeSysctlValuesThoughTheirFilesReportSizeZero() throws IOException {
        // /proc/sys files say they are empty and give EOF to any read past offset 0: a reader that
        // starts with a one-byte read gets only the first digit ("8" for msgsize_max=8192)
        for (String file : List.of("/proc/sys/fs/mqueue/msgsize_max", "/proc/sys/fs/file-max",
                "/proc/sys/kernel/pid_max")) {
            Path path = Path.of(file);
            assertEquals(0, Files.size(path), file + " reports size 0");
            String value = Limits.procValue(file);
            assertEquals(new String(Files.newInputStream(path).readAllBytes()).trim(), value, file);
            assertTrue(Long.parseLong(value) >= 10, file + "=" + value);
            assertEquals(Long.parseLong(value), Limits.procNumber(file));
        }
        assertNull(Limits.procValue("/proc/sys/no/such/file"));
        assertEquals(-1, Limits.procNumber("/proc/sys/no/such/file"));
    }

    @Test
    void shouldReadTheRlimitsAndCountDescriptors() {
        assertTrue(Limits.rlimit("Max msgqueue size") != null);
        assertTrue(Limits.openDescriptors() > 2);
    }
}
