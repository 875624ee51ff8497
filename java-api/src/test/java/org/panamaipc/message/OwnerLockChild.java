package org.panamaipc.message;

import org.panamaipc.codec.Codec;

/**
 * A child JVM for {@link PortOwnerLockTest}: it owns two ports, has the first one's owner state
 * changed behind its back (as another process writing the shared word would), closes both and
 * creates a port again. The owner locks are robust mutexes on the keeper thread's robust list,
 * which glibc links through the mutexes themselves: a port unmapped with its lock still held
 * leaves that list pointing into memory that is gone, and the next lock or unlock on the keeper
 * thread writes there. Prints {@code survived} if it did.
 */
public final class OwnerLockChild {

    private OwnerLockChild() {
    }

    public static void main(String[] args) throws Exception {
        Port<byte[]> first = Port.create(args[0], MailboxOptions.ring(), Codec.bytes());
        Port<byte[]> second = Port.create(args[1], MailboxOptions.ring(), Codec.bytes());
        first.control.compareAndSetOwnerState(MailboxDescriptor.OWNER_OWNED, MailboxDescriptor.OWNER_CLOSED);
        first.close();
        second.close();
        Port<byte[]> again = Port.create(args[0], MailboxOptions.ring(), Codec.bytes());
        again.close();
        System.out.println("survived");
    }
}
