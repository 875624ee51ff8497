package org.panamaipc.rpc;

/**
 * An exception that an {@link RpcServer}'s handler threw for a call: the caller gets it in place
 * of the response, carrying the name of the exception's class and its message as the server had
 * them (the class need not exist in the caller's process). A response the server could not send
 * (longer than the client's reply port takes, or one its codec refused) comes back the same way.
 *
 * {@snippet lang=java :
 * try {
 *     Quote quote = quotes.call(new Symbol("XYZ"), Duration.ofSeconds(1));
 * } catch (RemoteException e) {
 *     log(e.remoteType() + ": " + e.remoteMessage());   // "java.lang.IllegalArgumentException: no such symbol"
 * }
 * }
 */
public class RemoteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String server;
    private final String remoteType;
    private final String remoteMessage;

    /**
     * @param server        the server's name
     * @param remoteType    the binary name of the exception's class in the server
     * @param remoteMessage its message, or {@code null} if it had none
     */
    public RemoteException(String server, String remoteType, String remoteMessage) {
        super("call to rpc server " + server + " failed in the server: " + remoteType
                + (remoteMessage == null ? "" : ": " + remoteMessage));
        this.server = server;
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
    }

    /** {@return the server's name} */
    public String server() {
        return server;
    }

    /** {@return the binary name of the exception's class in the server, such as {@code java.lang.IllegalStateException}} */
    public String remoteType() {
        return remoteType;
    }

    /** {@return the exception's message in the server, or {@code null} if it had none} */
    public String remoteMessage() {
        return remoteMessage;
    }
}
