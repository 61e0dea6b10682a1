package io.portunus.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Token authentication in both of Janus's modes (janus-api.md §3):
 * <ul>
 * <li>stored: tokens kept here, each with the plugins it may attach to, managed by the
 *     Admin API ({@code add_token}, {@code allow_token}, ...);</li>
 * <li>signed: {@code <expiry>,janus,<plugin>...:<base64 HMAC-SHA1>} verified against
 *     {@code token_auth_secret}, nothing stored.</li>
 * </ul>
 */
public final class TokenStore {
    private static final String REALM = "janus";
    private final String signingSecret;
    /** token -> allowed plugin packages, in insertion order (list_tokens shows that order). */
    private final Map<String, Set<String>> tokens = new LinkedHashMap<>();

    /** {@code signingSecret} null means stored mode. */
    public TokenStore(String signingSecret) {
        this.signingSecret = signingSecret;
    }

    public boolean signedMode() {
        return signingSecret != null;
    }

    public boolean isValid(String token, long nowSeconds) {
        if (token == null) {
            return false;
        }
        if (signedMode()) {
            return verifySigned(token, nowSeconds) != null;
        }
        synchronized (tokens) {
            return tokens.containsKey(token);
        }
    }

    /** Whether {@code token} may attach to {@code plugin}. */
    public boolean allowsPlugin(String token, String plugin, long nowSeconds) {
        if (signedMode()) {
            List<String> descriptors = verifySigned(token, nowSeconds);
            return descriptors != null && descriptors.contains(plugin);
        }
        synchronized (tokens) {
            Set<String> allowed = tokens.get(token);
            return allowed != null && allowed.contains(plugin);
        }
    }

    /** Adds (or keeps) a stored token and allows it the given plugins. */
    public Set<String> add(String token, Set<String> plugins) {
        synchronized (tokens) {
            Set<String> allowed = tokens.computeIfAbsent(token, t -> new LinkedHashSet<>());
            allowed.addAll(plugins);
            return Set.copyOf(allowed);
        }
    }

    /** Allows or disallows plugins on an existing token; null when the token is unknown. */
    public Set<String> change(String token, Set<String> plugins, boolean allow) {
        synchronized (tokens) {
            Set<String> allowed = tokens.get(token);
            if (allowed == null) {
                return null;
            }
            if (allow) {
                allowed.addAll(plugins);
            } else {
                allowed.removeAll(plugins);
            }
            return new LinkedHashSet<>(allowed);
        }
    }

    public boolean remove(String token) {
        synchronized (tokens) {
            return tokens.remove(token) != null;
        }
    }

    /** A snapshot: token -> allowed plugins. */
    public Map<String, Set<String>> snapshot() {
        synchronized (tokens) {
            Map<String, Set<String>> copy = new LinkedHashMap<>();
            tokens.forEach((k, v) -> copy.put(k, new LinkedHashSet<>(v)));
            return copy;
        }
    }

    /** The descriptors after the realm if the signed token is valid and unexpired, else null. */
    private List<String> verifySigned(String token, long nowSeconds) {
        String[] parts = token.split(":", -1);
        if (parts.length != 2) {
            return null;
        }
        String[] data = parts[0].split(",", -1);
        if (data.length < 2 || !REALM.equals(data[1])) {
            return null;
        }
        try {
            if (Long.parseLong(data[0]) < nowSeconds) {
                return null;
            }
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] expected = Base64.getEncoder().encode(mac.doFinal(parts[0].getBytes(StandardCharsets.UTF_8)));
            if (!MessageDigest.isEqual(expected, parts[1].getBytes(StandardCharsets.UTF_8))) {
                return null;
            }
        } catch (NumberFormatException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
        return List.of(data).subList(2, data.length);
    }

    /** 24 random URL-safe characters (144 bits), for generated secrets. */
    public static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Constant-time string comparison for secrets. */
    public static boolean secretEquals(String expected, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
