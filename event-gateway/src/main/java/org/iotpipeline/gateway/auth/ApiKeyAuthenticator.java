package org.iotpipeline.gateway.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks a token {@code <key id>.<secret>}, sent as {@code Authorization: Bearer <token>} (RFC
 * 6750) or {@code X-Api-Key: <token>}, against the current keys. The secret is compared by hash in
 * constant time; an unknown id costs the same hash, and every refusal reads the same, so answers
 * do not tell which part was wrong.
 */
public final class ApiKeyAuthenticator implements RequestAuthenticator {

    private static final String BEARER = "bearer ";
    private static final byte[] NO_KEY = new byte[KeyHashing.HASH_BYTES];
    private static final String HOW = "send Authorization: Bearer <key id>.<secret> (or X-Api-Key: <key id>.<secret>)";

    private final Supplier<ApiKeys> keys;

    /** @param keys the keys in force; asked on every request, so a reload applies at once */
    public ApiKeyAuthenticator(Supplier<ApiKeys> keys) {
        this.keys = Objects.requireNonNull(keys, "keys is null");
    }

    @Override
    public Authentication authenticate(Optional<String> authorization, Optional<String> apiKey) {
        Optional<String> token;
        if (authorization.isPresent()) {
            String value = authorization.get().strip();
            if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
                return invalid("the Authorization header is not a Bearer token; " + HOW);
            }
            token = Optional.of(value.substring(BEARER.length()).strip());
        } else {
            token = apiKey.map(String::strip);
        }
        if (token.isEmpty()) {
            return new Authentication.Refused(Authentication.Reason.MISSING, "an API key is required; " + HOW);
        }
        int dot = token.get().indexOf('.');
        if (dot <= 0 || dot == token.get().length() - 1) {
            return invalid("the API key is not of the form <key id>.<secret>");
        }
        String id = token.get().substring(0, dot);
        String secret = token.get().substring(dot + 1);
        Optional<ApiKey> key = ApiKey.isValidId(id) ? keys.get().find(id) : Optional.empty();
        if (key.isEmpty()) {
            KeyHashing.matches(NO_KEY, id, secret); // same work as for a known id
            return invalid("the API key is not valid");
        }
        return key.get().matches(secret)
                ? new Authentication.Granted(key.get())
                : invalid("the API key is not valid");
    }

    private static Authentication invalid(String detail) {
        return new Authentication.Refused(Authentication.Reason.INVALID, detail);
    }
}
