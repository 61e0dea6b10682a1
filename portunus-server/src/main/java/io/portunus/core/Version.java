package io.portunus.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Portunus's own version and build time, stamped into a resource by Maven. */
public final class Version {
    public static final String STRING;
    public static final String BUILD_TIME;

    static {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/io/portunus/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // fall through to the defaults below
        }
        STRING = p.getProperty("version", "0.0.0");
        BUILD_TIME = p.getProperty("build-time", "unknown");
    }

    private Version() {
    }

    /** Janus encodes x.y.z as x*1000 + y*100 + z (1.1.2 is 1102); the same rule here. */
    public static int number() {
        String[] parts = STRING.replaceAll("[^0-9.].*$", "").split("\\.");
        int n = 0;
        int[] weights = {1000, 100, 1};
        for (int i = 0; i < Math.min(3, parts.length); i++) {
            n += Integer.parseInt(parts[i]) * weights[i];
        }
        return n;
    }
}
