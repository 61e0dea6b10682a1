package io.portunus.core.spi;

/** A plugin could not create or destroy a session; {@link #errorCode()} goes into the reply text. */
public class PluginException extends Exception {
    private final int errorCode;

    public PluginException(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
