package org.panamaipc.bridge;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeConfigTest {

    @Test
    void shouldReadEveryDirectiveOfAFile() {
        BridgeConfig config = BridgeConfig.parse(List.of(
                "# host A",
                "listen aeron:udp?endpoint=0.0.0.0:40124   # where host B sends",
                "driver /dev/shm/aeron-root",
                "idle yield",
                "export mailbox /jobs 10",
                "export port /printer 12",
                "import mailbox /results aeron:udp?endpoint=hostB:40124 11 capacity=64 max-length=128",
                "import port /spooler aeron:udp?endpoint=hostB:40124 13",
                ""), "test");
        assertEquals("aeron:udp?endpoint=0.0.0.0:40124", config.listen());
        assertEquals(Path.of("/dev/shm/aeron-root"), config.driverDir());
        assertEquals(BridgeConfig.Idle.YIELD, config.idle());
        assertEquals(List.of(new BridgeConfig.Export(BridgeConfig.Kind.MAILBOX, "/jobs", 10),
                new BridgeConfig.Export(BridgeConfig.Kind.PORT, "/printer", 12)), config.exports());
        BridgeConfig.Import results = config.imports().get(0);
        assertEquals(BridgeConfig.Kind.MAILBOX, results.kind());
        assertEquals("aeron:udp?endpoint=hostB:40124", results.channel());
        assertEquals(11, results.streamId());
        assertEquals(64, results.options().capacity());
        assertEquals(128, results.options().maxMessageLength());
        assertEquals(BridgeConfig.Kind.PORT, config.imports().get(1).kind());
    }

    @Test
    void shouldDefaultToAnEmbeddedDriverThatBacksOff() {
        BridgeConfig config = BridgeConfig.parse(List.of("driver embedded",
                "import mailbox /a aeron:udp?endpoint=localhost:40124 1"), "test");
        assertNull(config.driverDir());
        assertEquals(BridgeConfig.Idle.BACKOFF, config.idle());
        assertNull(config.listen());
    }

    @Test
    void shouldNameTheLineOfAWrongDirective() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BridgeConfig.parse(
                List.of("listen aeron:udp?endpoint=localhost:1", "export queue /a 1"), "bridge.conf"));
        assertTrue(e.getMessage().startsWith("bridge.conf:2: kind=queue is neither mailbox nor port"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BridgeConfig.parse(List.of("import mailbox /a tcp://x 1"), "f"));
        assertTrue(e.getMessage().contains("is not an Aeron UDP channel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BridgeConfig.parse(List.of("export mailbox /a 0",
                "listen aeron:udp?endpoint=localhost:1"), "f"));
        assertTrue(e.getMessage().contains("streamId=0 must be positive"), e.getMessage());
    }

    @Test
    void shouldRefuseExportsWithoutAListenChannel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BridgeConfig.builder().exportMailbox("/jobs", 1).build());
        assertTrue(e.getMessage().contains("need a listen channel"), e.getMessage());
    }

    @Test
    void shouldRefuseNulls() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Bridge.start(null));
        assertEquals("config", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> BridgeConfig.builder().listen(null));
        assertEquals("channel", e.getMessage());
    }
}
