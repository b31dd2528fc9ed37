package org.iotpipeline.generator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
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
        Config c = root.getConfig(ROOT);
        Duration interval = positive(c, "interval");
        if (interval.toMillis() < 1) {
            throw invalid("interval", "must be at least 1ms, got " + interval);
        }
        int devices = atLeast(c, "devices", 1);
        int firstDeviceId = atLeast(c, "first-device-id", 0);
        if ((long) firstDeviceId + devices - 1 > Integer.MAX_VALUE) {
            throw invalid("devices", "first-device-id + devices - 1 must stay within 2147483647, got "
                    + firstDeviceId + " + " + devices + " - 1");
        }
        Duration ledgerWindow = positive(c, "ledger-window");
        if (ledgerWindow.toMillis() % 60_000 != 0) {
            throw invalid("ledger-window", "must be a whole number of minutes, got " + ledgerWindow);
        }
        return new GeneratorSettings(
                url(c),
                devices,
                atLeast(c, "metrics-per-device", 1),
                firstDeviceId,
                interval,
                fraction(c, "rate", Double.MAX_VALUE),
                atLeastLong(c, "event-count", 0),
                notNegative(c, "duration"),
                atLeast(c, "batch-size", 1),
                positive(c, "batch-linger"),
                atLeast(c, "concurrency", 1),
                get(c, "seed", c::getLong),
                positive(c, "value-model.period"),
                fraction(c, "value-model.noise-stddev", Double.MAX_VALUE),
                atLeast(c, "value-model.resolution-divisor", 1),
                backfill(c, clock),
                retry(c),
                positive(c, "request-timeout"),
                notNegative(c, "progress-interval"),
                positive(c, "shutdown-timeout"),
                optionalPath(c, "ledger-path"),
                ledgerWindow,
                fraction(c, "duplicate-fraction", 1.0),
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

    private static URI url(Config c) {
        String text = get(c, "url", c::getString);
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw invalid("url", "must be an http:// or https:// URL with a host, got \"" + text + "\"");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid("url", "is not a valid URL (" + e.getMessage() + ")");
        }
    }

    private static GatewayAccess access(Config c) {
        String key = get(c, "api-key", c::getString).trim();
        Optional<GatewayAccess.TrustStore> trustStore = optionalPath(c, "tls.trust-store")
                .map(path -> new GatewayAccess.TrustStore(path, get(c, "tls.trust-store-password", c::getString)));
        trustStore.ifPresent(store -> {
            try {
                KeyStoreTls.clientContext(store.path(), store.password().toCharArray()); // fail now, naming the file
            } catch (IllegalArgumentException e) {
                throw invalid("tls.trust-store", e.getMessage());
            }
        });
        try {
            return new GatewayAccess(key.isEmpty() ? Optional.empty() : Optional.of(key), trustStore);
        } catch (IllegalArgumentException e) {
            throw invalid("api-key", e.getMessage());
        }
    }

    private static Optional<Backfill> backfill(Config c, Clock clock) {
        String start = get(c, "backfill.start", c::getString).trim();
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
            } catch (ConfigException.BadValue notADuration) {
                throw invalid("backfill.start", "must be empty, an ISO-8601 instant such as 2025-11-24T00:00:00Z,"
                        + " or a duration before now such as 24h; got \"" + start + "\"");
            }
        }
        if (from.isAfter(now)) {
            throw invalid("backfill.start", "must not be in the future, got " + from);
        }
        String speedText = get(c, "backfill.speed", c::getString).trim();
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
                throw invalid("backfill.speed", "must be \"max\" or a positive factor such as 60, got \"" + speedText + "\"");
            }
        }
        return Optional.of(new Backfill(from, speed, get(c, "backfill.continue-live", c::getBoolean)));
    }

    private static RetryPolicy retry(Config c) {
        int attempts = atLeast(c, "retry.max-attempts", 1);
        Duration initial = notNegative(c, "retry.initial-backoff");
        Duration max = notNegative(c, "retry.max-backoff");
        if (max.compareTo(initial) < 0) {
            throw invalid("retry.max-backoff", "must not be shorter than retry.initial-backoff (" + initial + "), got " + max);
        }
        return new RetryPolicy(attempts, initial, max, fraction(c, "retry.jitter", 1.0));
    }

    private static Optional<Path> optionalPath(Config c, String key) {
        String text = get(c, key, c::getString).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(Path.of(text));
    }

    private static int atLeast(Config c, String key, int min) {
        int value = get(c, key, c::getInt);
        if (value < min) {
            throw invalid(key, "must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static long atLeastLong(Config c, String key, long min) {
        long value = get(c, key, c::getLong);
        if (value < min) {
            throw invalid(key, "must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** A number in [0, max]. */
    private static double fraction(Config c, String key, double max) {
        double value = get(c, key, c::getDouble);
        if (!(value >= 0 && value <= max)) {
            throw invalid(key, "must be between 0 and " + (max == Double.MAX_VALUE ? "any finite number" : max)
                    + ", got " + value);
        }
        return value;
    }

    private static Duration positive(Config c, String key) {
        Duration value = get(c, key, c::getDuration);
        if (value.isZero() || value.isNegative()) {
            throw invalid(key, "must be a positive duration such as 5s, got " + value);
        }
        return value;
    }

    private static Duration notNegative(Config c, String key) {
        Duration value = get(c, key, c::getDuration);
        if (value.isNegative()) {
            throw invalid(key, "must not be negative, got " + value);
        }
        return value;
    }

    private interface Getter<T> {
        T get(String key);
    }

    /** Reads a key, turning Typesafe Config's type errors into one that names our key. */
    private static <T> T get(Config c, String key, Getter<T> getter) {
        try {
            return getter.get(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw invalid(key, "has a value of the wrong type: " + e.getMessage());
        } catch (ConfigException.Missing e) {
            throw invalid(key, "is missing (reference.conf defines it; was it set to null?)");
        }
    }

    private static IllegalArgumentException invalid(String key, String reason) {
        return new IllegalArgumentException(ROOT + "." + key + " " + reason);
    }
}
