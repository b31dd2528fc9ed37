package org.iotpipeline.query.console;

import java.util.Objects;

/**
 * The body of {@code GET /pipeline}.
 *
 * @param at      when the services were read (ISO-8601 UTC)
 * @param gateway the event gateway
 * @param etl     the ETL
 */
public record PipelineView(String at, GatewayView gateway, EtlView etl) {

    public PipelineView {
        Objects.requireNonNull(at, "at is null");
        Objects.requireNonNull(gateway, "gateway is null");
        Objects.requireNonNull(etl, "etl is null");
    }
}
