package io.portunus.fuzz;

import java.util.function.Consumer;

/**
 * The entry point for Jazzer's command line (bench/fuzz/run.sh): the target is chosen with
 * {@code -Dportunus.fuzz.target=NAME} (one of {@link FuzzTargets#NAMES}).
 */
public final class FuzzMain {
    private static final Consumer<byte[]> TARGET = FuzzTargets.byName(System.getProperty("portunus.fuzz.target", "sdp"));

    private FuzzMain() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        TARGET.accept(data);
    }
}
