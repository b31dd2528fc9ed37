package org.iotpipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * reference.conf as the jars ship it, for settings tests (shipped in common-model's test jar).
 * Resolved without environment variables and system properties: {@code port = ${?GATEWAY_PORT}}
 * keeps its default on a machine that has GATEWAY_PORT set, so a test of the defaults tests the
 * defaults.
 */
public final class ReferenceConfig {

    private static final ConfigResolveOptions NO_ENVIRONMENT = ConfigResolveOptions.noSystem();

    private ReferenceConfig() {
    }

    /** Every reference.conf on the class path, merged as Typesafe Config merges them. */
    public static Config defaults() {
        return unresolved().resolve(NO_ENVIRONMENT);
    }

    /** {@code overrides} (full keys, HOCON path expressions) on top of {@link #defaults()}. */
    public static Config with(Map<String, ?> overrides) {
        return ConfigFactory.parseMap(overrides).withFallback(unresolved()).resolve(NO_ENVIRONMENT);
    }

    /**
     * The full keys of every value under {@code roots}, as path expressions (a dotted name inside a
     * pass-through section comes back quoted: {@code spark.conf."spark.ui.enabled"}). A full-override
     * test compares them with its overrides, so a key added to reference.conf fails the test until
     * the test sets it.
     */
    public static Set<String> keysUnder(String... roots) {
        Config defaults = defaults();
        return Arrays.stream(roots)
                .flatMap(root -> defaults.getConfig(root).entrySet().stream().map(entry -> root + "." + entry.getKey()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The keys of {@code overrides} whose value reads as the default does: overrides that test nothing. */
    public static Set<String> unchanged(Map<String, ?> overrides) {
        Config defaults = defaults();
        Config given = ConfigFactory.parseMap(overrides);
        return overrides.keySet().stream()
                .filter(key -> defaults.hasPath(key)
                        && String.valueOf(defaults.getValue(key).unwrapped()).equals(String.valueOf(given.getValue(key).unwrapped())))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Config unresolved() {
        return ConfigFactory.parseResources(ReferenceConfig.class.getClassLoader(), "reference.conf");
    }
}
