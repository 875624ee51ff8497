package org.panamaipc.attack.children;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only log of 16-byte entries (an int, a long, an int), each written with one
 * {@code write(2)} as soon as it happens, so it is in the kernel's hands before the writer does
 * anything else: a process killed with SIGKILL loses no entry it had logged. Senders log what
 * they acknowledge (a send or commit that returned), receivers what they received.
 */
public final class Log implements AutoCloseable {

    /** Bytes per entry. */
    public static final int ENTRY = 16;

    private final FileChannel channel;
    private final ByteBuffer entry = ByteBuffer.allocateDirect(ENTRY).order(ByteOrder.LITTLE_ENDIAN);

    /** Opens (creates, appends to) the log at {@code path}. */
    public Log(Path path) {
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends one entry. */
    public void write(int a, long b, int c) {
        entry.clear();
        entry.putInt(a).putLong(b).putInt(c).flip();
        try {
            while (entry.hasRemaining()) {
                channel.write(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One entry read back. */
    public record Entry(int a, long b, int c) {
    }

    /** {@return the whole entries in the log at {@code path} (none if it does not exist)} */
    public static List<Entry> read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException missing) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> entries = new ArrayList<>(bytes.length / ENTRY);
        while (buffer.remaining() >= ENTRY) {
            entries.add(new Entry(buffer.getInt(), buffer.getLong(), buffer.getInt()));
        }
        return entries;
    }
}
