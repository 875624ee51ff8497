package org.panamaipc.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A JUnit extension that fails a test class if, after all its tests, {@code /dev/shm} (or
 * {@code /dev/mqueue}, where it is mounted) still holds an object named by {@link TestNames} in
 * this JVM. It removes the leftovers it reports, so one leak does not fail the classes after it.
 * Use it with {@code @ExtendWith(NoLeakedObjects.class)}.
 */
public final class NoLeakedObjects implements AfterAllCallback {

    private static final List<Path> DIRECTORIES = List.of(Path.of("/dev/shm"), Path.of("/dev/mqueue"));

    @Override
    public void afterAll(ExtensionContext context) {
        List<Path> leaked = leftovers();
        for (Path path : leaked) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // reported below anyway
            }
        }
        if (!leaked.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " left OS objects behind: " + leaked);
        }
    }

    /** {@return the objects named by this JVM's {@link TestNames} that exist now} */
    public static List<Path> leftovers() {
        String prefix = TestNames.prefix();
        return DIRECTORIES.stream().filter(Files::isDirectory).flatMap(dir -> {
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
