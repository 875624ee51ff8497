/**
 * Ring channels in shared memory: the bounded buffer between processes, with one or many senders
 * and one or many receivers, variable-size messages, and waits that spin, yield, back off or sleep
 * on a futex. {@link org.panamaipc.channel.RingChannel} is the channel and its lifecycle, named or
 * in memory without a name; {@link org.panamaipc.channel.Sender} and
 * {@link org.panamaipc.channel.Receiver} are its endpoints; {@link org.panamaipc.channel.ChannelDescriptor}
 * and {@link org.panamaipc.channel.RecordDescriptor} are its layout.
 */
package org.panamaipc.channel;
