package org.iotpipeline.query.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.config.SettingChecks;

/**
 * Where the pipeline page reads the write path's own endpoints ({@code query-server.console}).
 *
 * @param gatewayUrl   base URL of the event gateway ({@code /metrics} is read)
 * @param etlUrl       base URL of the ETL's admin endpoint ({@code /status} and {@code /metrics} are read)
 * @param fetchTimeout longest wait for one of those answers; a service slower than this shows as down
 * @param cacheTtl     how long one reading of the services is reused for every viewer
 */
public record ConsoleSettings(URI gatewayUrl, URI etlUrl, Duration fetchTimeout, Duration cacheTtl) {

    public ConsoleSettings {
        Objects.requireNonNull(gatewayUrl, "gatewayUrl is null");
        Objects.requireNonNull(etlUrl, "etlUrl is null");
        SettingChecks.positive("query-server.console.fetch-timeout", fetchTimeout);
        SettingChecks.notNegative("query-server.console.cache-ttl", cacheTtl);
    }

    /** Reads the {@code console} section of {@code query-server}. */
    public static ConsoleSettings from(ConfigSection console) {
        return new ConsoleSettings(
                baseUrl(console.getString("gateway-url"), console.key("gateway-url")),
                baseUrl(console.getString("etl-url"), console.key("etl-url")),
                console.getDuration("fetch-timeout"),
                console.getDuration("cache-ttl"));
    }

    /** An absolute http(s) URL without query or fragment; a trailing slash is dropped. */
    static URI baseUrl(String value, String fullKey) {
        String text = value.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(fullKey + " is not a URL: \"" + value + "\"", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw SettingChecks.invalid(fullKey, "must be an http:// or https:// URL with a host and without query"
                    + " or fragment, e.g. http://127.0.0.1:8080; got \"" + value + "\"");
        }
        return uri;
    }

    /** {@code base} + {@code path} ({@code path} starts with {@code /}). */
    static String resolve(URI base, String path) {
        return base.toString() + path;
    }
}
