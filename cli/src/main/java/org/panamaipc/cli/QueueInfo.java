package org.panamaipc.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ls} and {@code stat} know of one POSIX message queue: its attributes
 * ({@code mq_getattr}), what the {@code mqueue} file system adds where it is mounted (bytes
 * queued, the process registered for notification), and the processes that hold a descriptor of
 * it. A queue records no creator: the kernel keeps it, whoever made it, until it is unlinked.
 *
 * @param name        the queue's name, {@code /orders}
 * @param maxMessages its capacity, or -1 if it could not be opened
 * @param maxLength   its longest message, or -1
 * @param messages    messages in it now, or -1
 * @param mode        its permission bits, or -1
 * @param queuedBytes bytes of the messages in it (the mount's {@code QSIZE}), or -1 if not mounted
 * @param notifyPid   the process registered with {@code mq_notify}, or 0
 * @param holders     processes with a descriptor of it, this one left out
 * @param problem     why it could not be opened, or null
 */
record QueueInfo(String name, int maxMessages, int maxLength, int messages, int mode, long queuedBytes, long notifyPid,
                 Set<Long> holders, String problem) {

    /** {@return the state in one word: {@code "live"} if a process holds it, else {@code "idle"}} */
    String state() {
        return holders.isEmpty() ? "idle" : "live";
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = Json.object("type", "mq", "name", name, "kind", "queue", "maxMessages", maxMessages,
                "maxMessageLength", maxLength, "messages", messages,
                "mode", mode < 0 ? null : String.format(Locale.ROOT, "0%o", mode),
                "queuedBytes", queuedBytes < 0 ? null : queuedBytes, "notifyPid", notifyPid,
                "holders", List.copyOf(holders), "state", state());
        if (problem != null) {
            json.put("problem", problem);
        }
        return json;
    }
}
