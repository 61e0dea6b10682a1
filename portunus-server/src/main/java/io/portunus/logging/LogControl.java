package io.portunus.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.LoggerFactory;

/**
 * Logging as Janus exposes it: a level 0-7 (0 off, 4 info, 7 everything), optional
 * timestamps and colours, all changeable at run time (the Admin API drives them). Built on
 * Logback, configured here in code so that no logback.xml is needed.
 */
public final class LogControl {
    private static final LogControl INSTANCE = new LogControl();
    private final JanusLayout layout = new JanusLayout();
    private volatile int level = 4;

    private LogControl() {
    }

    public static LogControl get() {
        return INSTANCE;
    }

    /** Replaces any Logback configuration with ours: stdout and/or a file. */
    public synchronized void configure(int level, boolean timestamps, boolean colors, boolean toStdout, String file) {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        lc.reset();
        Logger root = lc.getLogger(Logger.ROOT_LOGGER_NAME);
        layout.setContext(lc);
        layout.timestamps = timestamps;
        layout.colors = colors && toStdout && System.console() != null;
        layout.start();
        if (toStdout) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            attach(lc, root, console, "console");
        }
        if (file != null) {
            FileAppender<ILoggingEvent> fa = new FileAppender<>();
            fa.setFile(file);
            fa.setAppend(true);
            attach(lc, root, fa, "file");
        }
        setLevel(level);
    }

    private void attach(LoggerContext lc, Logger root, OutputStreamAppender<ILoggingEvent> appender, String name) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(lc);
        encoder.setLayout(layout);
        encoder.start();
        appender.setContext(lc);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
    }

    public int level() {
        return level;
    }

    /** Janus levels: 0 none, 1 fatal, 2 err, 3 warn, 4 info, 5 verb, 6 huge, 7 dbg. */
    public synchronized void setLevel(int janusLevel) {
        if (janusLevel < 0 || janusLevel > 7) {
            throw new IllegalArgumentException("log level must be 0-7");
        }
        level = janusLevel;
        Level l = switch (janusLevel) {
            case 0 -> Level.OFF;
            case 1, 2 -> Level.ERROR;
            case 3 -> Level.WARN;
            case 4 -> Level.INFO;
            case 5, 6 -> Level.DEBUG;
            default -> Level.TRACE;
        };
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        lc.getLogger("io.portunus").setLevel(l);
        // Libraries stay quiet unless the operator asks for everything.
        lc.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(janusLevel >= 7 ? Level.DEBUG : (janusLevel == 0 ? Level.OFF : Level.WARN));
    }

    public boolean timestamps() {
        return layout.timestamps;
    }

    public void setTimestamps(boolean on) {
        layout.timestamps = on;
    }

    public boolean colors() {
        return layout.colors;
    }

    public void setColors(boolean on) {
        layout.colors = on;
    }
}
