/**
 * Message passing between processes, typed: {@link org.panamaipc.message.TypedSender} and
 * {@link org.panamaipc.message.TypedReceiver} carry values of a {@link org.panamaipc.codec.Codec}
 * over a ring channel, written and read in place; a {@link org.panamaipc.message.Mailbox} is a
 * named link many processes send to and receive from (indirect communication), over a ring or a
 * POSIX message queue; a {@link org.panamaipc.message.Port} is a mailbox owned by its receiver and
 * gone with it. Every message has a {@link org.panamaipc.message.Header}: type, source endpoint and
 * process, length, sequence, priority and send time.
 */
package org.panamaipc.message;
