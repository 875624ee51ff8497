package org.panamaipc;

/**
 * A blocking call can never complete because every peer on the other side has gone: a sender
 * waits for space in a full ring whose receivers have all died or closed, or a receiver that asked
 * to be told waits on an empty channel whose senders have all gone. Without this exception such a
 * call would wait forever.
 */
public class PeerGoneException extends IpcException {

    private static final long serialVersionUID = 1L;

    /**
     * @param action what was attempted, such as {@code "send to channel"}
     * @param object the object's name
     * @param reason which peers are gone, in words
     */
    public PeerGoneException(String action, String object, String reason) {
        super("Unable to " + action + " " + object + " since " + reason, action, object);
    }
}
