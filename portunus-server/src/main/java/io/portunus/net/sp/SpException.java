package io.portunus.net.sp;

import java.io.IOException;

/** A peer broke the SP protocol (bad header, incompatible protocol, oversized or malformed frame). */
public final class SpException extends IOException {
    public SpException(String message) {
        super(message);
    }
}
