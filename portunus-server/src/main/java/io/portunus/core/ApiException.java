package io.portunus.core;

/**
 * A request that fails with a Janus error code. Thrown from validation and routing, turned
 * into an {@code {"janus":"error",...}} reply by the dispatcher, so the happy path reads
 * straight down without error plumbing.
 */
public final class ApiException extends Exception {
    private final JanusError error;
    private final String reason;

    public ApiException(JanusError error) {
        this(error, error.defaultReason());
    }

    public ApiException(JanusError error, String reason) {
        super(reason, null, false, false);
        this.error = error;
        this.reason = reason;
    }

    public JanusError error() {
        return error;
    }

    public int code() {
        return error.code();
    }

    public String reason() {
        return reason;
    }
}
