package io.portunus.core;

import java.security.SecureRandom;

/**
 * Session and handle identifiers: random, positive and at most 2^53 - 1, so that they survive
 * a round trip through a JavaScript number (janus.js and janode parse them as doubles).
 * Random rather than sequential so that one client cannot guess another's session.
 */
public final class Ids {
    public static final long MAX_SAFE = (1L << 53) - 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** A random id in [1, 2^53 - 1]. Callers re-draw on collision. */
    public static long random() {
        long id;
        do {
            id = RANDOM.nextLong() & MAX_SAFE;
        } while (id == 0);
        return id;
    }
}
