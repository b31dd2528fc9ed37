package org.iotpipeline.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApiKeyAuthenticatorTest {

    private static final String SECRET = "s3cr3t-s3cr3t";
    private final AtomicReference<ApiKeys> keys = new AtomicReference<>(new ApiKeys(List.of(
            new ApiKey("fleet-a", KeyHashing.hash("fleet-a", SECRET), DeviceRanges.parse("100-199")))));
    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(keys::get);

    private Authentication bearer(String value) {
        return authenticator.authenticate(Optional.of(value), Optional.empty());
    }

    @Test
    void aBearerTokenOrAnApiKeyHeaderGrantsTheKeysDevices() {
        for (Authentication result : List.of(bearer("Bearer fleet-a." + SECRET), bearer("bearer   fleet-a." + SECRET),
                authenticator.authenticate(Optional.empty(), Optional.of(" fleet-a." + SECRET)))) {
            assertThat(result).isInstanceOfSatisfying(Authentication.Granted.class, granted -> {
                assertThat(granted.scope().permits(150)).isTrue();
                assertThat(granted.scope().permits(5)).isFalse();
                assertThat(granted.scope().describe()).isEqualTo("key fleet-a (devices 100-199)");
            });
        }
    }

    @Test
    void noCredentialsAreMissing() {
        assertThat(authenticator.authenticate(Optional.empty(), Optional.empty()))
                .isEqualTo(new Authentication.Refused(Authentication.Reason.MISSING,
                        "an API key is required; send Authorization: Bearer <key id>.<secret> (or X-Api-Key: <key id>.<secret>)"));
    }

    @Test
    void everythingElseIsInvalidWithoutSayingWhichPartWasWrong() {
        for (String value : List.of("Bearer fleet-a.wrong", "Bearer nobody." + SECRET, "Bearer fleet-a",
                "Bearer .x", "Bearer fleet-a.", "Basic fleet-a." + SECRET, "Bearer f@o." + SECRET, "Bearer")) {
            assertThat(bearer(value)).as(value).isInstanceOfSatisfying(Authentication.Refused.class,
                    refused -> assertThat(refused.reason()).isEqualTo(Authentication.Reason.INVALID));
        }
        assertThat(bearer("Bearer fleet-a.wrong")).isEqualTo(bearer("Bearer nobody." + SECRET));
    }

    @Test
    void theAuthorizationHeaderWinsOverTheApiKeyHeader() {
        assertThat(authenticator.authenticate(Optional.of("Bearer fleet-a.wrong"), Optional.of("fleet-a." + SECRET)))
                .isInstanceOf(Authentication.Refused.class);
    }

    @Test
    void theCurrentKeysAreAskedOnEveryRequest() {
        assertThat(bearer("Bearer fleet-a." + SECRET)).isInstanceOf(Authentication.Granted.class);

        keys.set(new ApiKeys(List.of()));

        assertThat(bearer("Bearer fleet-a." + SECRET)).isInstanceOf(Authentication.Refused.class);
    }
}
