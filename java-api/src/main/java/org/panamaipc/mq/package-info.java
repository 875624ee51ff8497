/**
 * POSIX message queues: {@link org.panamaipc.mq.MessageQueue} (kernel-held queues of prioritised
 * messages, opened by name from any process), {@link org.panamaipc.mq.MessageQueueSelector} (many
 * queues polled at once), {@link org.panamaipc.mq.TypedMessageQueue} (values through a codec) and
 * {@link org.panamaipc.mq.MessageQueueLimits} (the kernel's limits, and how to raise them).
 */
package org.panamaipc.mq;
