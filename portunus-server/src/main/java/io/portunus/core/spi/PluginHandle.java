package io.portunus.core.spi;

/** What a plugin sees of a handle: its ids and a slot for the plugin's own per-handle state. */
public interface PluginHandle {
    long sessionId();

    long handleId();

    /** The client's {@code opaque_id} from {@code attach}, or null. */
    String opaqueId();

    /** The token used at attach time when token auth is on, or null. */
    String token();

    Object pluginState();

    void pluginState(Object state);

    /** False once the handle is being detached; pushes to it are then dropped. */
    boolean isAlive();
}
