package io.portunus.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one after another, in the order given, on a shared executor's threads. One per
 * handle: a plugin sees that handle's messages in order, each one finished (its ack sent and its
 * asynchronous work done) before the next starts, as Janus runs a plugin's messages; VideoRoom's
 * join, configure, publish depend on it. Handles do not wait for each other.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor threads;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    public SerialExecutor(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (queue) {
            queue.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            threads.execute(this::drain);
        } catch (RuntimeException e) {
            // The shared executor is shut down: nothing will drain, so nothing stays queued.
            synchronized (queue) {
                queue.clear();
                draining = false;
            }
            throw e;
        }
    }

    /** Tasks waiting (not counting the one running). */
    public int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.error("A queued task failed", e);
            }
        }
    }
}
