package io.portunus.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers which signal stopped the server, for the {@code signum} of the core shutdown
 * event (events.md §4.9). Each handler records the number and then calls the JVM's own
 * handler, so shutdown behaves exactly as without it.
 */
public final class ShutdownSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignal.class);
    private static volatile int last;
    private static boolean installed;

    private ShutdownSignal() {
    }

    /** The signal that started the shutdown, 0 when none did. */
    public static int last() {
        return last;
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
                previous[0] = sun.misc.Signal.handle(signal, s -> {
                    last = s.getNumber();
                    sun.misc.SignalHandler p = previous[0];
                    if (p != null && p != sun.misc.SignalHandler.SIG_DFL && p != sun.misc.SignalHandler.SIG_IGN) {
                        p.handle(s);
                    } else if (p == sun.misc.SignalHandler.SIG_DFL) {
                        System.exit(128 + s.getNumber());
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not available (e.g. -Xrs): the event then reports 0, as a shutdown with no signal.
                LOG.debug("Cannot watch SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
