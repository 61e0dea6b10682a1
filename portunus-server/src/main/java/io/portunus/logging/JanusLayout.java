package io.portunus.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One log line as Janus prints it: optional {@code [timestamp]}, a level tag for warnings and
 * errors (coloured when asked), then the message. Flags are volatile so the Admin API can flip
 * them while threads log.
 */
final class JanusLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy");
    volatile boolean timestamps;
    volatile boolean colors;

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(128);
        if (timestamps) {
            sb.append('[').append(LocalDateTime.now().format(TS)).append("] ");
        }
        Level level = event.getLevel();
        if (level.isGreaterOrEqual(Level.WARN)) {
            String tag = level == Level.ERROR ? "[ERR] " : "[WARN] ";
            if (colors) {
                sb.append(level == Level.ERROR ? "\u001b[31m" : "\u001b[33m").append(tag).append("\u001b[0m");
            } else {
                sb.append(tag);
            }
        }
        sb.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            sb.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
        }
        return sb.toString();
    }
}
