package org.panamaipc.broadcast;

/**
 * What a broadcast does when a subscriber falls a whole ring behind the publisher; chosen when the
 * broadcast is created ({@link BroadcastOptions#of(SlowSubscriberPolicy)}) and fixed for its life.
 */
public enum SlowSubscriberPolicy {

    /**
     * The slowest live subscriber holds the publisher back: a send finds no room ({@code FULL}, or
     * waits) until every live subscriber has read the message the next one would overwrite. No
     * subscriber ever loses a message. A subscriber that dies holds the publisher back for at most
     * one liveness check ({@link Publisher#LIVENESS_CHECK_INTERVAL}).
     */
    BLOCK(1),

    /**
     * The publisher never waits: it overwrites the oldest message whoever has not read it. A
     * subscriber that was lapped learns it on its next receive, skips to the oldest message still
     * there, and counts what it missed exactly ({@link BroadcastHeader#lost()},
     * {@link Subscriber#lost()}).
     */
    LOSSY(2);

    private final int code;

    SlowSubscriberPolicy(int code) {
        this.code = code;
    }

    /** {@return the number stored in the broadcast's configuration} */
    public int code() {
        return code;
    }

    /** {@return the policy stored as {@code code}, or {@code null} if none} */
    public static SlowSubscriberPolicy ofCode(int code) {
        for (SlowSubscriberPolicy policy : values()) {
            if (policy.code == code) {
                return policy;
            }
        }
        return null;
    }
}
