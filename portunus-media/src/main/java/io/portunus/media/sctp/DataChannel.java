package io.portunus.media.sctp;

/**
 * One data channel (RFC 8831): its SCTP stream, label, protocol and reliability as the
 * DATA_CHANNEL_OPEN message said (RFC 8832 §5.1).
 */
public final class DataChannel {
    public static final int RELIABLE = 0x00;
    public static final int PARTIAL_RELIABLE_REXMIT = 0x01;
    public static final int PARTIAL_RELIABLE_TIMED = 0x02;
    public static final int UNORDERED_FLAG = 0x80;

    private final int stream;
    private final int type;
    private final int priority;
    private final long reliability;
    private final String label;
    private final String protocol;
    boolean acked;
    boolean closing;
    boolean incomingReset;
    boolean outgoingReset;
    long messagesIn;
    long messagesOut;
    long bytesIn;
    long bytesOut;

    DataChannel(int stream, int type, int priority, long reliability, String label, String protocol, boolean acked) {
        this.stream = stream;
        this.type = type;
        this.priority = priority;
        this.reliability = reliability;
        this.label = label;
        this.protocol = protocol;
        this.acked = acked;
    }

    public int stream() {
        return stream;
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return protocol;
    }

    public int type() {
        return type;
    }

    public int priority() {
        return priority;
    }

    public boolean unordered() {
        return (type & UNORDERED_FLAG) != 0;
    }

    /** Retransmissions allowed (partial reliable rexmit), else -1. */
    public int maxRetransmits() {
        return (type & 0x7F) == PARTIAL_RELIABLE_REXMIT ? (int) Math.min(reliability, Integer.MAX_VALUE) : -1;
    }

    /** Lifetime in ms (partial reliable timed), else -1. */
    public long lifetimeMillis() {
        return (type & 0x7F) == PARTIAL_RELIABLE_TIMED ? reliability : -1;
    }

    public long messagesIn() {
        return messagesIn;
    }

    public long messagesOut() {
        return messagesOut;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    @Override
    public String toString() {
        return "DataChannel[" + stream + " '" + label + "' type " + type + "]";
    }
}
