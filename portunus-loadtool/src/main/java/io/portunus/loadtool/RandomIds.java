package io.portunus.loadtool;

import static io.portunus.loadtool.LoadSession.RANDOM;

/** Random identifiers a load session makes: ICE credentials, transactions, SSRCs. */
final class RandomIds {
    private RandomIds() {
    }

    static String token(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static long ssrc() {
        long v;
        do {
            v = RANDOM.nextInt() & 0xFFFFFFFFL;
        } while (v == 0);
        return v;
    }
}
