package org.iotpipeline.gateway.auth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** An immutable set of API keys by id, as read from one version of the key file. */
public final class ApiKeys {

    private final Map<String, ApiKey> byId;

    /** @throws IllegalArgumentException if two keys share an id */
    public ApiKeys(List<ApiKey> keys) {
        Objects.requireNonNull(keys, "keys is null");
        Map<String, ApiKey> map = new LinkedHashMap<>();
        for (ApiKey key : keys) {
            if (map.putIfAbsent(key.id(), key) != null) {
                throw new IllegalArgumentException("key id " + key.id() + " appears more than once");
            }
        }
        this.byId = Map.copyOf(map);
    }

    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public int size() {
        return byId.size();
    }

    public Collection<ApiKey> all() {
        return byId.values();
    }
}
