package org.iotpipeline.gateway.auth;

import java.util.Objects;
import org.iotpipeline.gateway.ingest.DeviceScope;

/** What a request's credentials are worth. */
public sealed interface Authentication {

    /** The request may write events for {@code scope}'s devices. */
    record Granted(DeviceScope scope) implements Authentication {

        public Granted {
            Objects.requireNonNull(scope, "scope is null");
        }
    }

    /** No usable credentials (401). */
    record Refused(Reason reason, String detail) implements Authentication {

        public Refused {
            Objects.requireNonNull(reason, "reason is null");
            Objects.requireNonNull(detail, "detail is null");
        }
    }

    /** Why credentials were refused; the lower-case name is the metric tag. */
    enum Reason {
        /** Neither {@code Authorization} nor {@code X-Api-Key}. */
        MISSING,
        /** Malformed, unknown key id, or wrong secret (the answer does not say which). */
        INVALID
    }
}
