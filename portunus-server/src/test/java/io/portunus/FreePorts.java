package io.portunus;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the servers tests start. A port asked of the kernel ({@code new ServerSocket(0)}) and
 * released again comes from the ephemeral range, where any outgoing connection of the same run
 * (an HTTP client, a broker client) may take it before the server binds it: a rare "Address
 * already in use". These are taken below that range (Linux's starts at 32768), in turn from a
 * start that differs per JVM, and only when nothing listens there now.
 */
public final class FreePorts {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final AtomicInteger NEXT =
            new AtomicInteger((int) ((ProcessHandle.current().pid() * 7_919) % (HIGH - LOW)));

    private FreePorts() {
    }

    public static int next() {
        for (int tries = 0; tries < HIGH - LOW; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement(), HIGH - LOW);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + LOW + "-" + HIGH);
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
