package org.iotpipeline.generator;

import com.typesafe.config.Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.generator.delivery.DuplicateChooser;
import org.iotpipeline.generator.delivery.GatewayAccess;
import org.iotpipeline.generator.delivery.RetryPolicy;
import org.iotpipeline.generator.fleet.Backfill;
import org.iotpipeline.generator.fleet.Fleet;
import org.iotpipeline.generator.fleet.Timeline;
import org.iotpipeline.generator.fleet.ValueModel;
import org.iotpipeline.tls.KeyStoreTls;

/**
 * The {@code load-generator} section of the configuration, read and checked once at start-up.
 * Every key and its default is documented in {@code reference.conf}; an invalid value fails with
 * an {@link IllegalArgumentException} that names the key.
 */
public record GeneratorSettings(
        URI url,
        int devices,
        int metricsPerDevice,
        int firstDeviceId,
        Duration interval,
        double rate,
        long eventCount,
        Duration duration,
        int batchSize,
        Duration batchLinger,
        int concurrency,
        long seed,
        Duration valuePeriod,
        double noiseStddev,
        int resolutionDivisor,
        Optional<Backfill> backfill,
        RetryPolicy retry,
        Duration requestTimeout,
        Duration progressInterval,
        Duration shutdownTimeout,
        Optional<Path> ledgerPath,
        Duration ledgerWindow,
        double duplicateFraction,
        GatewayAccess access) {

    public static final String ROOT = "load-generator";

    /** Reads {@code load-generator} from a resolved configuration; relative instants use {@code clock}. */
    public static GeneratorSettings from(Config root, Clock clock) {
        ConfigSection c = ConfigSection.of(root, ROOT);
        Duration interval = c.positiveDuration("interval");
        if (interval.toMillis() < 1) {
            throw c.invalid("interval", "must be at least 1ms, got " + interval);
        }
        int devices = c.intAtLeast("devices", 1);
        int firstDeviceId = c.intAtLeast("first-device-id", 0);
        if ((long) firstDeviceId + devices - 1 > Integer.MAX_VALUE) {
            throw c.invalid("devices", "first-device-id + devices - 1 must stay within 2147483647, got "
                    + firstDeviceId + " + " + devices + " - 1");
        }
        Duration ledgerWindow = c.positiveDuration("ledger-window");
        if (ledgerWindow.toMillis() % 60_000 != 0) {
            throw c.invalid("ledger-window", "must be a whole number of minutes, got " + ledgerWindow);
        }
        return new GeneratorSettings(
                url(c),
                devices,
                c.intAtLeast("metrics-per-device", 1),
                firstDeviceId,
                interval,
                c.nonNegativeNumber("rate"),
                c.longAtLeast("event-count", 0),
                c.nonNegativeDuration("duration"),
                c.intAtLeast("batch-size", 1),
                c.positiveDuration("batch-linger"),
                c.intAtLeast("concurrency", 1),
                c.getLong("seed"),
                c.positiveDuration("value-model.period"),
                c.nonNegativeNumber("value-model.noise-stddev"),
                c.intAtLeast("value-model.resolution-divisor", 1),
                backfill(c, clock),
                retry(c),
                c.positiveDuration("request-timeout"),
                c.nonNegativeDuration("progress-interval"),
                c.positiveDuration("shutdown-timeout"),
                c.optionalPath("ledger-path"),
                ledgerWindow,
                c.fraction("duplicate-fraction"),
                access(c));
    }

    public Fleet fleet() {
        return new Fleet(firstDeviceId, devices, metricsPerDevice,
                new ValueModel(seed, valuePeriod, noiseStddev, resolutionDivisor));
    }

    /** The timeline of a run starting at wall-clock time {@code now}. */
    public Timeline timeline(long now) {
        return backfill.map(b -> Timeline.backfill(b.start(), interval, b.speed(), now, !b.continueLive()))
                .orElseGet(() -> Timeline.live(interval, now));
    }

    public DuplicateChooser duplicateChooser() {
        return new DuplicateChooser(seed, duplicateFraction);
    }

    private static URI url(ConfigSection c) {
        String text = c.getString("url");
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw c.invalid("url", "must be an http:// or https:// URL with a host, got \"" + text + "\"");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw c.invalid("url", "is not a valid URL (" + e.getMessage() + ")");
        }
    }

    private static GatewayAccess access(ConfigSection c) {
        String key = c.getString("api-key").trim();
        Optional<GatewayAccess.TrustStore> trustStore = c.optionalPath("tls.trust-store")
                .map(path -> new GatewayAccess.TrustStore(path, c.getString("tls.trust-store-password")));
        trustStore.ifPresent(store -> {
            try {
                KeyStoreTls.clientContext(store.path(), store.password().toCharArray()); // fail now, naming the file
            } catch (IllegalArgumentException e) {
                throw c.invalid("tls.trust-store", e.getMessage());
            }
        });
        try {
            return new GatewayAccess(key.isEmpty() ? Optional.empty() : Optional.of(key), trustStore);
        } catch (IllegalArgumentException e) {
            throw c.invalid("api-key", e.getMessage());
        }
    }

    private static Optional<Backfill> backfill(ConfigSection c, Clock clock) {
        String start = c.getString("backfill.start").trim();
        if (start.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant from;
        try {
            from = Instant.parse(start);
        } catch (DateTimeParseException notAnInstant) {
            try {
                from = now.minus(c.getDuration("backfill.start"));
            } catch (IllegalArgumentException notADuration) {
                throw c.invalid("backfill.start", "must be empty, an ISO-8601 instant such as 2025-11-24T00:00:00Z,"
                        + " or a duration before now such as 24h; got \"" + start + "\"");
            }
        }
        if (from.isAfter(now)) {
            throw c.invalid("backfill.start", "must not be in the future, got " + from);
        }
        String speedText = c.getString("backfill.speed").trim();
        double speed;
        if (speedText.equalsIgnoreCase("max")) {
            speed = Double.POSITIVE_INFINITY;
        } else {
            try {
                speed = Double.parseDouble(speedText);
            } catch (NumberFormatException e) {
                speed = Double.NaN;
            }
            if (!(speed > 0) || Double.isInfinite(speed)) {
                throw c.invalid("backfill.speed", "must be \"max\" or a positive factor such as 60, got \"" + speedText + "\"");
            }
        }
        return Optional.of(new Backfill(from, speed, c.getBoolean("backfill.continue-live")));
    }

    private static RetryPolicy retry(ConfigSection c) {
        int attempts = c.intAtLeast("retry.max-attempts", 1);
        Duration initial = c.nonNegativeDuration("retry.initial-backoff");
        Duration max = c.nonNegativeDuration("retry.max-backoff");
        if (max.compareTo(initial) < 0) {
            throw c.invalid("retry.max-backoff", "must not be shorter than retry.initial-backoff (" + initial + "), got " + max);
        }
        return new RetryPolicy(attempts, initial, max, c.fraction("retry.jitter"));
    }
}
