package org.iotpipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One section of a resolved configuration, such as {@code event-gateway}, read key by key. Whatever
 * goes wrong with a key - missing, of the wrong type, out of range - fails with an
 * {@link IllegalArgumentException} whose message starts with the full key, so the operator knows
 * what to fix; the range checks are those of {@link SettingChecks}.
 */
public final class ConfigSection {

    private final Config config;
    private final String name;

    private ConfigSection(Config config, String name) {
        this.config = config;
        this.name = name;
    }

    /** The section at {@code path} (e.g. {@code load-generator}) of a resolved configuration. */
    public static ConfigSection of(Config root, String path) {
        Objects.requireNonNull(root, "root is null");
        Objects.requireNonNull(path, "path is null");
        return new ConfigSection(read(path, () -> root.getConfig(path)), path);
    }

    /** A section inside this one, e.g. {@code kafka} of {@code event-gateway}. */
    public ConfigSection section(String key) {
        return new ConfigSection(get(key, config::getConfig), key(key));
    }

    /** The full key of {@code key}, as messages name it: {@code <section>.<key>}. */
    public String key(String key) {
        return name + "." + key;
    }

    /** An exception naming the full key, for checks particular to one setting. */
    public IllegalArgumentException invalid(String key, String reason) {
        return SettingChecks.invalid(key(key), reason);
    }

    public String getString(String key) {
        return get(key, config::getString);
    }

    public boolean getBoolean(String key) {
        return get(key, config::getBoolean);
    }

    public int getInt(String key) {
        return get(key, config::getInt);
    }

    public long getLong(String key) {
        return get(key, config::getLong);
    }

    public double getDouble(String key) {
        return get(key, config::getDouble);
    }

    public Duration getDuration(String key) {
        return get(key, config::getDuration);
    }

    /** A size in bytes; HOCON sizes such as {@code 1m} or {@code 128MiB} work. */
    public long getBytes(String key) {
        return get(key, config::getBytes);
    }

    /** A path as written; an empty string gives the empty path. */
    public Path getPath(String key) {
        return toPath(key, getString(key));
    }

    /** A path that must be given, such as a data directory. */
    public Path nonEmptyPath(String key) {
        return toPath(key, text(key));
    }

    /** A path, or empty where the value is blank (the way reference.conf says "none"); surrounding blanks are dropped. */
    public Optional<Path> optionalPath(String key) {
        String text = getString(key).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(toPath(key, text));
    }

    /** Non-blank text, such as a host or a topic. */
    public String text(String key) {
        return SettingChecks.text(key(key), getString(key));
    }

    public int intAtLeast(String key, int min) {
        return SettingChecks.atLeast(key(key), getInt(key), min);
    }

    public long longAtLeast(String key, long min) {
        return SettingChecks.atLeast(key(key), getLong(key), min);
    }

    public long bytesAtLeast(String key, long min) {
        return SettingChecks.atLeast(key(key), getBytes(key), min);
    }

    /** See {@link SettingChecks#port}: 1..65535. */
    public int port(String key) {
        return SettingChecks.port(key(key), getInt(key));
    }

    /** See {@link SettingChecks#portOrAny}: 0..65535, 0 = any free port. */
    public int portOrAny(String key) {
        return SettingChecks.portOrAny(key(key), getInt(key));
    }

    public Duration positiveDuration(String key) {
        return SettingChecks.positive(key(key), getDuration(key));
    }

    public Duration nonNegativeDuration(String key) {
        return SettingChecks.notNegative(key(key), getDuration(key));
    }

    /** A number in [0, 1]. */
    public double fraction(String key) {
        return SettingChecks.fraction(key(key), getDouble(key));
    }

    /** A finite number of at least 0. */
    public double nonNegativeNumber(String key) {
        return SettingChecks.notNegative(key(key), getDouble(key));
    }

    /**
     * The entries under {@code key} as dotted names and their values as text, for settings passed
     * through to a library (producer configs, Spark configs, broker properties). Dotted names are
     * nested objects in HOCON unless quoted; {@code "linger.ms" = 1} and {@code linger.ms = 1} both
     * give {@code linger.ms}.
     */
    public Map<String, String> stringMap(String key) {
        Config entries = get(key, config::getConfig);
        Map<String, String> flat = new LinkedHashMap<>();
        entries.entrySet().forEach(entry -> flat.put(String.join(".", ConfigUtil.splitPath(entry.getKey())),
                String.valueOf(entry.getValue().unwrapped())));
        return flat;
    }

    private Path toPath(String key, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw invalid(key, "is not a valid path: " + e.getMessage());
        }
    }

    private <T> T get(String key, Function<String, T> getter) {
        return read(key(key), () -> getter.apply(key));
    }

    /** Typesafe Config's exceptions name the key relative to the section; ours name the full key. */
    private static <T> T read(String fullKey, Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException.Missing e) {
            throw SettingChecks.invalid(fullKey, "is missing (reference.conf defines it; was it set to null?)");
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw SettingChecks.invalid(fullKey, "has a value of the wrong type: " + e.getMessage());
        }
    }
}
