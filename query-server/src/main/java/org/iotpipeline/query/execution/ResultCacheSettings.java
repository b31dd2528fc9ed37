package org.iotpipeline.query.execution;

import org.iotpipeline.config.SettingChecks;

/**
 * {@code query-server.query.result-cache} in {@code reference.conf}: see {@link ResultCache}.
 *
 * @param maxEntries    answers kept at once (0 = off)
 * @param maxEntryBytes largest answer kept, as JSON together with its statement
 */
public record ResultCacheSettings(int maxEntries, int maxEntryBytes) {

    public ResultCacheSettings {
        SettingChecks.atLeast(QueryLimits.key("result-cache.max-entries"), maxEntries, 0);
        SettingChecks.atLeast(QueryLimits.key("result-cache.max-entry-size"), maxEntryBytes, 1);
    }

    public ResultCache create() {
        return new ResultCache(maxEntries, maxEntryBytes);
    }
}
