package org.panamaipc.pipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.children.PipeChild;
import org.panamaipc.testkit.ChildProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FIFO between this JVM and the shell, both ways; and a writer whose reader has gone, in a
 * JVM of its own, which must get {@link org.panamaipc.PeerGoneException} and live, whatever
 * {@code SIGPIPE}'s disposition.
 */
@Timeout(120)
class NamedPipeAcrossProcessesTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadWhatTheShellEchoesIntoTheFifo() throws Exception {
        Path path = dir.resolve("from-shell");
        try (NamedPipe pipe = NamedPipe.create(path);
             ChildProcess shell = ChildProcess.program("echo", "sh", "-c", "echo 'hello from the shell' > " + path)) {
            try (PipeReader reader = pipe.openReader(Duration.ofSeconds(30))) {
                assertNotNull(reader, "the shell opened the FIFO for writing: " + shell.output());
                String text = new String(reader.inputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals("hello from the shell\n", text);
            }
            assertEquals(0, shell.waitFor(Duration.ofSeconds(30)), shell::output);
        }
    }

    @Test
    void shouldWriteWhatTheShellCatsOutOfTheFifo() throws Exception {
        Path path = dir.resolve("to-shell");
        Path out = dir.resolve("cat.out");
        StringBuilder sent = new StringBuilder();
        try (NamedPipe pipe = NamedPipe.create(path);
             ChildProcess shell = ChildProcess.program("cat", "sh", "-c", "cat " + path + " > " + out)) {
            try (PipeWriter writer = pipe.openWriter(Duration.ofSeconds(30))) {
                assertNotNull(writer, "cat opened the FIFO for reading: " + shell.output());
                for (int line = 1; line <= 2000; line++) { // 2000 lines, about 50 KB: several fills of the pipe
                    String text = "line " + line + " from the JVM\n";
                    sent.append(text);
                    writer.outputStream().write(text.getBytes(StandardCharsets.UTF_8));
                }
            }
            assertEquals(0, shell.waitFor(Duration.ofSeconds(30)), shell::output);
        }
        assertEquals(sent.toString(), Files.readString(out));
    }

    @Test
    void shouldShowThatARawWriteAfterTheReaderHasGoneKillsAJvmWithTheDefaultSigpipe() {
        // the hazard the writer guards against: with SIGPIPE at its default action, write(2) ends the JVM
        try (ChildProcess child = ChildProcess.java(PipeChild.class, "sig_dfl", "raw-write", dir.toString())) {
            int code = child.waitFor(Duration.ofSeconds(60));
            assertEquals(128 + 13, code, "killed by SIGPIPE (13). Output:\n" + child.output());
            assertTrue(!child.output().contains("ALIVE"), child::output);
        }
    }

    @Test
    void shouldThrowPeerGoneAndLiveWhenTheReaderHasGoneWithTheJvmsSigpipeHandler() {
        assertWriterLives("default");
    }

    @Test
    void shouldThrowPeerGoneAndLiveWhenTheReaderHasGoneWithTheDefaultSigpipe() {
        assertWriterLives("sig_dfl");
    }

    private void assertWriterLives(String disposition) {
        try (ChildProcess child = ChildProcess.java(PipeChild.class, disposition, "pipe-writer", dir.toString())) {
            child.assertSuccess(Duration.ofSeconds(60));
            String output = child.output();
            assertTrue(output.contains("PEER_GONE Unable to write to named pipe"), output);
            assertTrue(output.contains("ALIVE"), output);
            if (disposition.equals("sig_dfl")) {
                assertTrue(output.contains("SIGPIPE handler now 0x0"), output);
            }
        }
    }
}
