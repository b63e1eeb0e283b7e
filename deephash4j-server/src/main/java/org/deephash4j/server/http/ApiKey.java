package org.deephash4j.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key that writes and index management need, compared in constant time: both sides are hashed
 * first, so neither the key's length nor its first differing byte shows in the time a refusal takes.
 */
final class ApiKey {

    private final byte[] digest;

    ApiKey(String key) {
        if (key.length() < 16) {
            throw new IllegalArgumentException("an API key has at least 16 characters");
        }
        this.digest = sha256(key);
    }

    boolean matches(String given) {
        return given != null && MessageDigest.isEqual(digest, sha256(given));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
