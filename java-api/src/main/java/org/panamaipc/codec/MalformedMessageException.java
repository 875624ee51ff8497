package org.panamaipc.codec;

import org.panamaipc.IpcException;

/**
 * The bytes of a received message are not an encoding the codec can read: for a record codec, a
 * message whose length differs from the record's size. The message has been consumed; the
 * transport is intact. {@link #errno()} is 0.
 */
public class MalformedMessageException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** A message that {@code codec} cannot decode, for {@code reason}. */
    public MalformedMessageException(String codec, String reason) {
        super("Unable to decode a message with " + codec + " since " + reason, "decode message", null);
    }
}
