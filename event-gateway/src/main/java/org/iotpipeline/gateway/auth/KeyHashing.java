package org.iotpipeline.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * How secrets are made and stored. A secret is 256 random bits from {@link SecureRandom}; the key
 * file holds only SHA-256 of the whole token {@code <key id>.<secret>}. A plain hash suffices:
 * slow, salted hashes (PBKDF2, bcrypt) protect low-entropy passwords against guessing, and nobody
 * can guess among 2^256 secrets, fast hash or not; a slow hash would instead cost every request
 * milliseconds of CPU. Hashing the key id along acts as a per-key salt: a hash copied to another
 * id's line does not match.
 */
public final class KeyHashing {

    /** Length of a SHA-256 hash. */
    public static final int HASH_BYTES = 32;
    /** Random bytes per secret. */
    public static final int SECRET_BYTES = 32;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private KeyHashing() {
    }

    /** A new secret: 256 random bits, base64url without padding (43 characters). */
    public static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** SHA-256 of {@code <keyId>.<secret>} in UTF-8. */
    public static byte[] hash(String keyId, String secret) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((keyId + "." + secret).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether {@code secret} hashes to {@code expected}; MessageDigest.isEqual takes constant time. */
    static boolean matches(byte[] expected, String keyId, String secret) {
        return MessageDigest.isEqual(expected, hash(keyId, secret));
    }

    public static String encode(byte[] hash) {
        return BASE64URL.encodeToString(hash);
    }

    /** @throws IllegalArgumentException if {@code text} is not base64url */
    public static byte[] decode(String text) {
        return BASE64URL_DECODER.decode(text);
    }
}
