package org.panamaipc.message;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.internal.Lifecycle;

import java.util.Objects;

/** A {@link Mailbox} that nobody owns: whoever opens it may send and receive. */
final class SharedMailbox<T> extends AbstractMailbox<T> {

    private SharedMailbox(MailboxControl control, Link<T> link) {
        super(control, link);
    }

    static <T> SharedMailbox<T> create(String name, MailboxOptions options, Codec<T> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Values<T> values = new Values<>(codec);
        MailboxControl.Created<T> made = MailboxControl.create(name, options, values, false);
        return new SharedMailbox<>(made.control(), made.link());
    }

    static <T> SharedMailbox<T> open(String name, Codec<T> codec, WaitStrategy strategy) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(strategy, "strategy");
        Values<T> values = new Values<>(codec);
        MailboxControl.Created<T> made = MailboxControl.open(name, values, strategy);
        if (made.control().port) {
            made.link().close();
            made.control().close();
            throw new IllegalArgumentException("name=" + name + " is a port, owned by its receiver: open it with Port.open");
        }
        return new SharedMailbox<>(made.control(), made.link());
    }

    static <T> SharedMailbox<T> openOrCreate(String name, MailboxOptions options, Codec<T> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(codec, "codec");
        return Lifecycle.openOrCreate(() -> create(name, options, codec),
                () -> open(name, codec, options.waitStrategy()));
    }

    @Override
    String what() {
        return MailboxControl.MAILBOX;
    }

    @Override
    public void unlink() {
        Mailbox.unlink(name());
    }
}
