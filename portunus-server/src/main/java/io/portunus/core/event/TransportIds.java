package io.portunus.core.event;

/**
 * The number that names a transport instance in events ({@code transport.id} of session
 * {@code created} and {@code id} of transport events), stable for the instance so that the two
 * can be correlated. Janus hashes the instance pointer with a splitmix64 finaliser and prints
 * it unsigned; Portunus hashes the instance's identity hash the same way (events.md §4.1).
 */
public final class TransportIds {

    private TransportIds() {
    }

    public static String of(Object instance) {
        return Long.toUnsignedString(mix(System.identityHashCode(instance) & 0xffffffffL));
    }

    static long mix(long x) {
        x ^= x >>> 30;
        x *= 0xbf58476d1ce4e5b9L;
        x ^= x >>> 27;
        x *= 0x94d049bb133111ebL;
        x ^= x >>> 31;
        return x;
    }
}
