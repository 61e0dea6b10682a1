package io.portunus.media.sctp;

/** What an {@link SctpAssociation} tells its owner, taken with {@link SctpAssociation#pollEvent()}. */
public sealed interface SctpEvent {

    /** The association is established (COOKIE-ACK received or sent). */
    record Connected() implements SctpEvent {
    }

    /** A whole user message, reassembled and (for ordered streams) in order. */
    record Message(int stream, int ppid, byte[] data, boolean unordered) implements SctpEvent {
    }

    /** The peer reset these incoming streams of ours (its outgoing ones, RFC 6525): channels closing. */
    record StreamsReset(int[] streams) implements SctpEvent {
    }

    /** Our own outgoing reset of these streams was performed by the peer: their SSNs start over. */
    record OutgoingReset(int[] streams) implements SctpEvent {
    }

    /** The association ended (ABORT, SHUTDOWN, too many retransmissions). */
    record Closed(String reason) implements SctpEvent {
    }
}
