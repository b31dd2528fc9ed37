package org.iotpipeline.gateway.auth;

import java.util.Optional;
import org.iotpipeline.gateway.ingest.DeviceScope;

/** Decides from a request's credential headers which devices it may write for. */
public interface RequestAuthenticator {

    /** No authentication: every request may write every device. */
    RequestAuthenticator OPEN = (authorization, apiKey) -> new Authentication.Granted(DeviceScope.ALL);

    /**
     * @param authorization the {@code Authorization} header, if sent
     * @param apiKey        the {@code X-Api-Key} header, if sent
     */
    Authentication authenticate(Optional<String> authorization, Optional<String> apiKey);
}
