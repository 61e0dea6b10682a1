package io.portunus.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.event.Event;
import io.portunus.core.event.GatewayEvents;
import io.portunus.core.spi.ForwardedLeg;
import io.portunus.core.spi.MediaRecorder;
import io.portunus.core.spi.MediaPacket;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.media.sdp.LocalMedia;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/** The core's side of the plugin interface, one per loaded plugin. */
public final class PluginRuntime implements PluginContext {
    private final Gateway gateway;
    private final Plugin plugin;
    private final ConfigGroup config;
    private final MediaRecorder recorder;

    public PluginRuntime(Gateway gateway, Plugin plugin, ConfigGroup config) {
        this(gateway, plugin, config, null);
    }

    public PluginRuntime(Gateway gateway, Plugin plugin, ConfigGroup config, MediaRecorder recorder) {
        this.gateway = gateway;
        this.plugin = plugin;
        this.config = config;
        this.recorder = recorder;
    }

    @Override
    public MediaRecorder recorder() {
        return recorder;
    }

    @Override
    public ConfigGroup config() {
        return config;
    }

    @Override
    public boolean pushEvent(PluginHandle pluginHandle, String transaction, ObjectNode data, ObjectNode jsep) {
        if (!(pluginHandle instanceof Handle handle) || !handle.isAlive()) {
            return false;
        }
        ObjectNode event = Json.message("event", handle.sessionId(), transaction);
        event.put("sender", handle.handleId());
        if (gateway.settings().opaqueIdInApi && handle.opaqueId() != null) {
            event.put("opaque_id", handle.opaqueId());
        }
        ObjectNode pluginData = event.putObject("plugindata");
        pluginData.put("plugin", plugin.info().packageName());
        pluginData.set("data", data);
        if (jsep != null) {
            event.set("jsep", jsep);
            gateway.webRtc().localJsep(handle, jsep);
            gateway.events().emit(Event.JsepEvent.local(GatewayEvents.origin(handle), jsep.path("type").asText(),
                    jsep.path("sdp").asText()));
        }
        gateway.notify(handle.session(), event);
        return true;
    }

    @Override
    public void closePc(PluginHandle pluginHandle) {
        if (pluginHandle instanceof Handle handle) {
            gateway.webRtc().hangup(handle, "Close PC");
        }
    }

    @Override
    public LocalMedia localMedia(PluginHandle pluginHandle) {
        return gateway.webRtc().localMedia((Handle) pluginHandle);
    }

    @Override
    public void runAsMessage(PluginHandle pluginHandle, Runnable work) {
        try {
            ((Handle) pluginHandle).messages().execute(work);
        } catch (RejectedExecutionException e) {
            // Stopping: the workers are gone, and so is the handle's media.
        }
    }

    @Override
    public LocalMedia offerMedia(PluginHandle pluginHandle, List<ForwardedLeg> legs) {
        return gateway.webRtc().offerMedia((Handle) pluginHandle, legs, false);
    }

    @Override
    public LocalMedia offerMedia(PluginHandle pluginHandle, List<ForwardedLeg> legs, boolean restartIce) {
        return gateway.webRtc().offerMedia((Handle) pluginHandle, legs, restartIce);
    }

    @Override
    public void forwardedLeg(PluginHandle pluginHandle, ForwardedLeg leg) {
        if (pluginHandle instanceof Handle handle && handle.peerConnection() != null) {
            handle.peerConnection().forwardedLeg(leg.mid(), leg.extensionIds());
        }
    }

    @Override
    public void forwardingResumed(PluginHandle pluginHandle, String mid) {
        if (pluginHandle instanceof Handle handle && handle.peerConnection() != null) {
            handle.peerConnection().forwardingResumed(mid);
        }
    }

    @Override
    public void forwardRtp(PluginHandle pluginHandle, MediaPacket packet) {
        if (pluginHandle instanceof Handle handle && handle.peerConnection() != null) {
            handle.peerConnection().forwardRtp(packet);
        }
    }

    @Override
    public void relayRtp(PluginHandle pluginHandle, MediaPacket packet) {
        if (pluginHandle instanceof Handle handle) {
            var pc = handle.peerConnection();
            if (pc != null) {
                pc.sendRtp(packet);
            }
        }
    }

    @Override
    public void relayData(PluginHandle pluginHandle, String label, byte[] data, boolean binary) {
        if (pluginHandle instanceof Handle handle) {
            var pc = handle.peerConnection();
            if (pc != null) {
                pc.sendData(label, data, binary);
            }
        }
    }

    @Override
    public void relayRtcp(PluginHandle pluginHandle, MediaPacket packet) {
        if (pluginHandle instanceof Handle handle) {
            var pc = handle.peerConnection();
            if (pc != null) {
                pc.sendRtcp(packet);
            }
        }
    }

    @Override
    public void endSession(PluginHandle pluginHandle) {
        if (pluginHandle instanceof Handle handle) {
            gateway.workers().execute(() -> gateway.detach(handle, true));
        }
    }

    @Override
    public boolean eventsEnabled() {
        return gateway.settings().eventHandlers;
    }

    @Override
    public void notifyEvent(PluginHandle handle, ObjectNode event) {
        // A null handle is allowed: plugins report events about rooms etc. with no handle.
        gateway.events().emit(new Event.PluginEvent(GatewayEvents.origin(handle), plugin.info().packageName(), event));
    }
}
