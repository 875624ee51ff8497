package org.panamaipc.bench;

import org.panamaipc.channel.ChannelType;
import org.panamaipc.message.Transport;

import java.util.List;

/**
 * The transports of message passing that the harness measures beside the rings and queues they
 * run on: typed records over a ring ({@code typed:TYPE:STRATEGY}; without the envelope,
 * {@code typed-bare:TYPE:STRATEGY}), mailboxes
 * ({@code mailbox:ring:STRATEGY}, {@code mailbox:queue}; without the envelope,
 * {@code mailbox-bare:ring:STRATEGY}), ports ({@code port:ring:STRATEGY},
 * {@code port:queue}) and named endpoints ({@code endpoint:ring:STRATEGY}).
 */
public final class MessagingTransports {

    private MessagingTransports() {
    }

    /** {@return the transport of a spec split at its colons} */
    static org.panamaipc.bench.Transport parse(String[] parts) {
        return switch (parts[0]) {
            case "typed" -> new TypedRingTransport(ChannelType.valueOf(parts[1]), parts[2], true);
            case "typed-bare" -> new TypedRingTransport(ChannelType.valueOf(parts[1]), parts[2], false);
            case "mailbox" -> new MailboxTransport(transport(parts[1]), parts.length > 2 ? parts[2] : null, true);
            case "mailbox-bare" -> new MailboxTransport(transport(parts[1]), parts.length > 2 ? parts[2] : null, false);
            case "port" -> new PortTransport(transport(parts[1]), parts.length > 2 ? parts[2] : null);
            case "endpoint" -> new EndpointTransport(parts.length > 2 ? parts[2] : "spin");
            default -> throw new IllegalArgumentException("unknown transport " + String.join(":", parts));
        };
    }

    private static Transport transport(String name) {
        return Transport.valueOf(name.toUpperCase());
    }

    /**
     * {@return the specs in a full run} Each beside what it runs on: typed SPSC records beside
     * {@code ring:SPSC:spin} (with the envelope and without), the mailbox over an MPMC ring beside {@code ring:MPMC:spin}, over a
     * queue beside {@code mq}.
     */
    static List<String> specs() {
        return List.of("typed:SPSC:spin", "typed-bare:SPSC:spin", "mailbox:ring:spin", "mailbox-bare:ring:spin", "mailbox:queue", "port:ring:spin", "endpoint:ring:spin");
    }
}
