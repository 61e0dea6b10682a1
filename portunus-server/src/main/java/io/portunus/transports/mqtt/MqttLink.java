package io.portunus.transports.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * One MQTT client connection, 3.1 / 3.1.1 (Paho mqttv3) or 5 (Paho mqttv5) behind one face,
 * for the MQTT transport and event handler. No automatic reconnect: the owner reconnects on
 * its own thread, the same way at start-up and after a loss.
 */
public abstract sealed class MqttLink permits MqttLink.V3, MqttLink.V5 {
    /** Paho's "too many publishes in flight" reason code (both clients). */
    public static final int MAX_INFLIGHT = 32202;

    /** MQTT 5 properties of a message (null fields when absent). */
    public record Props(String responseTopic, byte[] correlationData, List<String[]> userProperties) {
        public static final Props NONE = new Props(null, null, List.of());
    }

    /** What the owner hears. */
    public interface Listener {
        void message(String topic, byte[] payload, Props props);

        /** The connection is gone: {@code reasonCode} is the MQTT 5 DISCONNECT reason, else -1. */
        void lost(String why, int reasonCode);
    }

    /** Connection options shared by both versions. */
    public record Options(String url, String version, String clientId, String username, String password,
                          int keepAlive, boolean cleanSession, int maxInflight, SSLContext tls, boolean verifyHostname,
                          String willTopic, byte[] willPayload, int willQos, boolean willRetain) {
    }

    public static MqttLink create(Options o, Listener listener) throws Exception {
        return "5".equals(o.version()) || "5.0".equals(o.version()) ? new V5(o, listener) : new V3(o, listener);
    }

    public abstract void connect() throws Exception;

    public abstract void subscribe(String topic, int qos) throws Exception;

    /** Publishes; waits for the broker's acknowledgement (QoS 1/2) or the write (QoS 0) when {@code wait}. */
    public abstract void publish(String topic, byte[] payload, int qos, boolean retain, Props props, boolean wait) throws Exception;

    public abstract boolean isConnected();

    /** A clean DISCONNECT (the will is then not sent), then the client is closed. */
    public abstract void close(long disconnectTimeoutMs);

    /** The reason code of a Paho exception of either client, or -1. */
    public static int reason(Throwable e) {
        if (e instanceof MqttException m3) {
            return m3.getReasonCode();
        }
        if (e instanceof org.eclipse.paho.mqttv5.common.MqttException m5) {
            return m5.getReasonCode();
        }
        return -1;
    }

    static final class V3 extends MqttLink implements MqttCallback {
        private final MqttAsyncClient client;
        private final MqttConnectOptions options = new MqttConnectOptions();
        private final Listener listener;

        V3(Options o, Listener listener) throws Exception {
            this.listener = listener;
            client = new MqttAsyncClient(o.url(), o.clientId(),
                    new MemoryPersistence());
            client.setCallback(this);
            options.setMqttVersion("3.1".equals(o.version()) ? MqttConnectOptions.MQTT_VERSION_3_1 : MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(o.cleanSession());
            options.setKeepAliveInterval(o.keepAlive());
            options.setMaxInflight(Math.max(1, o.maxInflight()));
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(5);
            if (o.username() != null) {
                options.setUserName(o.username());
            }
            if (o.password() != null) {
                options.setPassword(o.password().toCharArray());
            }
            if (o.tls() != null) {
                options.setSocketFactory(o.tls().getSocketFactory());
                options.setHttpsHostnameVerificationEnabled(o.verifyHostname());
            }
            if (o.willTopic() != null && o.willPayload() != null) {
                options.setWill(o.willTopic(), o.willPayload(), o.willQos(), o.willRetain());
            }
        }

        @Override
        public void connect() throws Exception {
            client.connect(options).waitForCompletion(10_000);
        }

        @Override
        public void subscribe(String topic, int qos) throws Exception {
            client.subscribe(topic, qos).waitForCompletion(10_000);
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain, Props props, boolean wait) throws Exception {
            IMqttDeliveryToken t = client.publish(topic, payload, qos, retain);
            if (wait) {
                t.waitForCompletion(10_000);
            }
        }

        @Override
        public boolean isConnected() {
            return client.isConnected();
        }

        @Override
        public void close(long disconnectTimeoutMs) {
            try {
                if (client.isConnected()) {
                    client.disconnect(disconnectTimeoutMs).waitForCompletion(disconnectTimeoutMs + 1000);
                }
            } catch (Exception ignored) {
                // closing anyway
            }
            try {
                client.close(true);
            } catch (Exception ignored) {
                // already closed
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            listener.lost(cause == null ? "connection lost" : String.valueOf(cause.getMessage() == null ? cause : cause.getMessage()), -1);
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            listener.message(topic, message.getPayload(), Props.NONE);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    static final class V5 extends MqttLink implements org.eclipse.paho.mqttv5.client.MqttCallback {
        private final org.eclipse.paho.mqttv5.client.MqttAsyncClient client;
        private final MqttConnectionOptions options = new MqttConnectionOptions();
        private final Listener listener;

        V5(Options o, Listener listener) throws Exception {
            this.listener = listener;
            client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(o.url(), o.clientId(),
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.setCallback(this);
            options.setCleanStart(o.cleanSession());
            if (!o.cleanSession()) {
                options.setSessionExpiryInterval(0xFFFFFFFFL);
            }
            options.setKeepAliveInterval(o.keepAlive());
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(5);
            if (o.username() != null) {
                options.setUserName(o.username());
            }
            if (o.password() != null) {
                options.setPassword(o.password().getBytes(StandardCharsets.UTF_8));
            }
            if (o.tls() != null) {
                options.setSocketFactory(o.tls().getSocketFactory());
                options.setHttpsHostnameVerificationEnabled(o.verifyHostname());
            }
            if (o.willTopic() != null && o.willPayload() != null) {
                MqttMessage will = new MqttMessage(o.willPayload());
                will.setQos(o.willQos());
                will.setRetained(o.willRetain());
                options.setWill(o.willTopic(), will);
            }
        }

        @Override
        public void connect() throws Exception {
            client.connect(options).waitForCompletion(10_000);
        }

        @Override
        public void subscribe(String topic, int qos) throws Exception {
            client.subscribe(topic, qos).waitForCompletion(10_000);
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain, Props props, boolean wait) throws Exception {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(qos);
            m.setRetained(retain);
            if (props != null && (props.correlationData() != null || !props.userProperties().isEmpty())) {
                MqttProperties p = new MqttProperties();
                if (props.correlationData() != null) {
                    p.setCorrelationData(props.correlationData());
                }
                List<UserProperty> user = new ArrayList<>();
                for (String[] kv : props.userProperties()) {
                    user.add(new UserProperty(kv[0], kv[1]));
                }
                p.setUserProperties(user);
                m.setProperties(p);
            }
            IMqttToken t = client.publish(topic, m);
            if (wait) {
                t.waitForCompletion(10_000);
            }
        }

        @Override
        public boolean isConnected() {
            return client.isConnected();
        }

        @Override
        public void close(long disconnectTimeoutMs) {
            try {
                if (client.isConnected()) {
                    client.disconnect(disconnectTimeoutMs).waitForCompletion(disconnectTimeoutMs + 1000);
                }
            } catch (Exception ignored) {
                // closing anyway
            }
            try {
                client.close(true);
            } catch (Exception ignored) {
                // already closed
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            boolean serverSaid = response.getException() == null;
            listener.lost(serverSaid ? "the broker disconnected (reason " + response.getReturnCode() + ")"
                            : String.valueOf(response.getException().getMessage()),
                    serverSaid ? response.getReturnCode() : -1);
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            MqttProperties p = message.getProperties();
            Props props = Props.NONE;
            if (p != null) {
                List<String[]> user = new ArrayList<>();
                if (p.getUserProperties() != null) {
                    for (UserProperty u : p.getUserProperties()) {
                        user.add(new String[]{u.getKey(), u.getValue()});
                    }
                }
                props = new Props(p.getResponseTopic(), p.getCorrelationData(), user);
            }
            listener.message(topic, message.getPayload(), props);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
