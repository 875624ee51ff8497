/**
 * Ring channels in shared memory: the bounded buffer between processes, with one or many senders
 * and one or many receivers, variable-size messages, and waits that spin, yield, back off or sleep
 * on a futex.
 */
package org.panamaipc.channel;
