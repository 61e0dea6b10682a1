package io.portunus.net;

/**
 * Netty settings Portunus's processes start with. A class of its own, with no logger, so that
 * calling it first thing in {@code main} initialises nothing before logging is configured.
 */
public final class NettyDefaults {
    private NettyDefaults() {
    }

    /**
     * Turns Netty's leak detector off unless {@code -Dio.netty.leakDetection.level} is given.
     * By default it samples one buffer in 128 and records a stack trace each time: on the media
     * path that is tens of stack traces a second (seen in a JFR profile of the load ladder).
     * Called by the server's and the load tool's main; tests keep the detector on.
     */
    public static void leakDetectionOffUnlessSet() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }
}
