package io.portunus.transports.mqtt;

import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.ConfigList;
import io.portunus.config.jcfg.ConfigScalar;
import io.portunus.config.jcfg.ConfigValue;

import java.util.ArrayList;
import java.util.List;

/** Option parsing shared by the MQTT transport and event handler. */
public final class MqttTransportOptions {
    private MqttTransportOptions() {
    }

    /** A list of {@code ["key","value"]} pairs (MQTT 5 user properties); empty when absent. */
    public static List<String[]> pairs(ConfigGroup group, String name) {
        List<String[]> out = new ArrayList<>();
        for (ConfigValue item : group.list(name)) {
            if (item instanceof ConfigList pair && pair.items().size() == 2
                    && pair.items().get(0) instanceof ConfigScalar k && pair.items().get(1) instanceof ConfigScalar v) {
                out.add(new String[]{k.asText(), v.asText()});
            } else {
                throw new IllegalArgumentException(name + ": each item must be a [\"key\", \"value\"] pair (" + item.source()
                        + ":" + item.line() + ")");
            }
        }
        return out;
    }
}
