package io.portunus.events;

import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Clock;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/**
 * Loads the event handlers found with {@link ServiceLoader} when
 * {@code events.broadcast} is on: each reads its {@code <package>.jcfg}, gets its pipe (queue,
 * thread, optional spool) and joins the bus. A handler whose configuration is unusable is
 * left out with one clear log line; the server starts anyway.
 */
public final class EventHandlerLoader {
    private static final Logger LOG = LoggerFactory.getLogger(EventHandlerLoader.class);

    private EventHandlerLoader() {
    }

    public static EventBus load(CoreSettings settings, ConfigFolder configs, List<EventHandler> found,
                                Predicate<ModuleInfo> disabled, Clock clock) {
        if (!settings.eventHandlers) {
            return EventBus.disabled();
        }
        EventBus bus = new EventBus(true, settings.serverName, clock, settings.events.sequenceNumbers());
        for (EventHandler h : found) {
            String name = h.info().packageName();
            if (disabled.test(h.info())) {
                LOG.info("Event handler {} disabled by configuration", name);
                continue;
            }
            try {
                ConfigGroup config = configs.load(name + ".jcfg");
                PipeOptions options = PipeOptions.from(config.group("general"), name);
                HandlerPipe pipe = new HandlerPipe(h, settings.serverName, options.queueSize());
                if (!h.init(config, pipe)) {
                    LOG.info("Event handler {} is not enabled in {}.jcfg", name, name);
                    continue;
                }
                if (options.spool()) {
                    pipe.useSpool(new DiskSpool(options.spoolFolder(), options.spoolMaxBytes()));
                }
                pipe.start();
                bus.add(pipe);
                LOG.info("Loaded event handler {} (events: {}{})", name, EventMask.describe(h.mask()),
                        options.spool() ? ", spool in " + options.spoolFolder() : "");
            } catch (Exception e) {
                LOG.error("Event handler {} not loaded: {}", name, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        return bus;
    }
}
