package org.iotpipeline.generator.report;

/**
 * Where the generated events stand. Once a run has finished,
 * {@code generated == acknowledged + rejected + failed}.
 *
 * @param generated              events handed to the HTTP client
 * @param acknowledged           events the gateway acknowledged (2xx)
 * @param rejected               events the gateway refused (final 4xx)
 * @param failed                 events given up: retries exhausted, or unresolved at the shutdown timeout
 * @param unresolved             of {@code failed}, those still in flight when the shutdown timeout ran out
 * @param duplicatesSent         acknowledged events deliberately sent a second time (not part of generated)
 * @param duplicatesAcknowledged of those, the ones whose second sending was acknowledged too
 */
public record Counts(long generated, long acknowledged, long rejected, long failed, long unresolved,
                     long duplicatesSent, long duplicatesAcknowledged) {

    /** Events without an outcome yet. */
    public long inFlight() {
        return generated - acknowledged - rejected - failed;
    }

    /** Whether every generated event has exactly one outcome. */
    public boolean addsUp() {
        return inFlight() == 0;
    }
}
