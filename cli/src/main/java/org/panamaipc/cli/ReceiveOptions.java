package org.panamaipc.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/**
 * The options every {@code recv} command takes, written once: {@code --count}, {@code --timeout}
 * and {@code --json} (a picocli mixin).
 */
final class ReceiveOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "1",
            description = "how many messages (default: ${DEFAULT-VALUE})")
    private int count;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Time.class,
            description = "how long to wait for each message (default: as long as it takes; 0: not at all)")
    private Duration timeout;

    @Option(names = "--json", description = "print one JSON object per message")
    private boolean json;

    /** {@return how many messages to receive} @throws ParameterException if fewer than one */
    int count() {
        if (count < 1) {
            throw new ParameterException(mixee.commandLine(), "--count: " + count + " must be at least 1");
        }
        return count;
    }

    /** {@return how long to wait for each message, or {@code null} for as long as it takes} */
    Duration timeout() {
        return timeout;
    }

    /** {@return {@code timeout()}, or {@link MqCommand#FOREVER} for as long as it takes} */
    Duration timeoutOrForever() {
        return timeout == null ? MqCommand.FOREVER : timeout;
    }

    /** {@return whether to print JSON} */
    boolean json() {
        return json;
    }

    /** {@return what to say when message {@code received} (from 0) of {@code count()} did not come in time} */
    String countSoFar(int received) {
        return count > 1 ? " (received " + received + " of " + count + ")" : "";
    }
}
