package org.iotpipeline.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks every service applies to its settings, one message style for all: the full key, what
 * it must be, and what it was, e.g. {@code load-generator.devices must be at least 1, got 0}. Each
 * check returns the value it accepted, so a record's compact constructor can check and assign in
 * one expression; {@link ConfigSection} applies the same checks while reading a configuration.
 */
public final class SettingChecks {

    private static final int MAX_PORT = 65_535;

    private SettingChecks() {
    }

    /** An exception whose message is {@code key reason}, e.g. {@code x.port must differ from x.controller-port}. */
    public static IllegalArgumentException invalid(String key, String reason) {
        return new IllegalArgumentException(key + " " + reason);
    }

    public static int atLeast(String key, int value, int min) {
        return Math.toIntExact(atLeast(key, (long) value, min));
    }

    public static long atLeast(String key, long value, long min) {
        if (value < min) {
            throw invalid(key, "must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** A port to connect to or to bind a fixed service on: 1..65535. */
    public static int port(String key, int value) {
        if (value < 1 || value > MAX_PORT) {
            throw invalid(key, "must be in 1..65535, got " + value);
        }
        return value;
    }

    /** A port to bind on, where 0 asks the system for any free one (tests, ad-hoc runs): 0..65535. */
    public static int portOrAny(String key, int value) {
        if (value < 0 || value > MAX_PORT) {
            throw invalid(key, "must be in 0..65535 (0 = any free port), got " + value);
        }
        return value;
    }

    /** Text that must say something: a host, a topic, a path. */
    public static String text(String key, String value) {
        if (Objects.requireNonNull(value, key + " is null").isBlank()) {
            throw invalid(key, "must not be empty");
        }
        return value;
    }

    public static Duration positive(String key, Duration value) {
        if (Objects.requireNonNull(value, key + " is null").isZero() || value.isNegative()) {
            throw invalid(key, "must be positive, got " + value);
        }
        return value;
    }

    public static Duration notNegative(String key, Duration value) {
        if (Objects.requireNonNull(value, key + " is null").isNegative()) {
            throw invalid(key, "must not be negative, got " + value);
        }
        return value;
    }

    /** A share in [0, 1], e.g. a jitter or the fraction of events sent twice. */
    public static double fraction(String key, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw invalid(key, "must be between 0 and 1, got " + value);
        }
        return value;
    }

    /** A finite number of at least 0, e.g. a rate where 0 means no bound. */
    public static double notNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw invalid(key, "must be a finite number of at least 0, got " + value);
        }
        return value;
    }
}
