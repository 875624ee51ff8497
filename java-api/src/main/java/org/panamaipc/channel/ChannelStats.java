package org.panamaipc.channel;

/**
 * Counters of a ring channel, summed over every endpoint that ever attached. They are updated
 * without synchronisation by each endpoint, so while messages flow a snapshot may be a little
 * behind; at rest it is exact. Senders keep no counters per message (a send stores only the record,
 * its tag and the tail): what was sent is what was received plus what is still in the ring.
 *
 * @param messagesSent     messages committed by senders: received, or still in the ring
 * @param bytesSent        payload bytes committed by senders: received, or still in the ring
 * @param timesFull        times a sender found the ring full
 * @param messagesReceived messages taken by receivers
 * @param bytesReceived    payload bytes taken by receivers
 * @param receiverSleeps   times a receiver slept on the futex
 * @param skippedRecords   records passed over because their sender died before committing
 * @param liveSenders      senders attached now (alive)
 * @param liveReceivers    receivers attached now (alive)
 * @param tail             the position up to which space is claimed
 * @param head             the position up to which messages are consumed
 */
public record ChannelStats(long messagesSent, long bytesSent, long timesFull, long messagesReceived,
                           long bytesReceived, long receiverSleeps, long skippedRecords,
                           int liveSenders, int liveReceivers, long tail, long head) {
}
