package io.portunus.net;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Every thread Portunus starts itself is made here (the event loops in {@link EventLoops}), so
 * that what runs where stays visible in one package; the build checks it
 * (io.portunus.architecture.LayerRulesTest). Threads made inside libraries (Paho, the RabbitMQ
 * client, junixsocket) are theirs.
 */
public final class Threads {
    private Threads() {
    }

    /** A daemon platform thread for a long-lived loop (a handler's sender, a broker connector). */
    public static Thread startDaemon(String name, Runnable body) {
        return Thread.ofPlatform().daemon().name(name).start(body);
    }

    /** A virtual thread for blocking work that must not hold a platform thread. */
    public static Thread startVirtual(String name, Runnable body) {
        return Thread.ofVirtual().name(name).start(body);
    }

    /** Virtual threads named {@code prefix} + a counter, for code that takes a factory. */
    public static ThreadFactory virtualFactory(String prefix) {
        return Thread.ofVirtual().name(prefix, 0).factory();
    }

    /** Daemon platform threads named {@code prefix} + a counter, for CPU-bound work that must not hold a carrier. */
    public static ThreadFactory platformDaemonFactory(String prefix) {
        return Thread.ofPlatform().daemon().name(prefix, 0).factory();
    }

    /** A new virtual thread per task (plugin messages, slow Admin requests). */
    public static ExecutorService virtualPerTask(String prefix) {
        return Executors.newThreadPerTaskExecutor(virtualFactory(prefix));
    }

    /** One daemon platform thread running scheduled tasks (the session watchdog). */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
    }

    /** The JVM's shutdown hook. */
    public static void onShutdown(String name, Runnable body) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name(name).unstarted(body));
    }
}
