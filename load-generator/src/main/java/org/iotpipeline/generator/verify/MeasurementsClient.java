package org.iotpipeline.generator.verify;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Authorization;
import akka.stream.javadsl.Framing;
import akka.stream.javadsl.FramingTruncation;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads per-window counts and sums of table {@code measurements} (or {@code measurements_live})
 * through the query server's HTTP API ({@code POST /query?format=ndjson}), streamed, so a large
 * range does not need one large answer.
 */
final class MeasurementsClient {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final ActorSystem system;
    private final String queryUrl;
    private final Optional<String> token;
    private final String table;
    private final ObjectMapper mapper = new ObjectMapper();

    /** @param table {@code measurements} or {@code measurements_live} */
    MeasurementsClient(ActorSystem system, String queryUrl, Optional<String> token, String table) {
        this.system = java.util.Objects.requireNonNull(system, "system is null");
        this.queryUrl = java.util.Objects.requireNonNull(queryUrl, "queryUrl is null");
        this.token = java.util.Objects.requireNonNull(token, "token is null");
        this.table = java.util.Objects.requireNonNull(table, "table is null");
    }

    /** Stored windows of these devices between two window starts (inclusive), epoch ms. */
    Map<WindowKey, StoredWindow> windows(int minDevice, int maxDevice, long fromStart, long toStart) throws IOException {
        String sql = "SELECT device_id, metric_id, unix_millis(window_start) AS window_start_ms, event_count, value_sum "
                + "FROM " + table + " WHERE device_id BETWEEN " + minDevice + " AND " + maxDevice
                + " AND window_start BETWEEN timestamp_millis(" + fromStart + ") AND timestamp_millis(" + toStart + ")";
        HttpRequest request = HttpRequest.POST(queryUrl + (queryUrl.contains("?") ? "&" : "?") + "format=ndjson&rows=arrays")
                .withEntity(ContentTypes.TEXT_PLAIN_UTF8, sql);
        if (token.isPresent()) {
            request = request.addHeader(Authorization.oauth2(token.get()));
        }
        try {
            HttpResponse response = Http.get(system).singleRequest(request).toCompletableFuture()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!response.status().isSuccess()) {
                String body = response.entity().toStrict(TIMEOUT.toMillis(), system).toCompletableFuture()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getData().utf8String();
                throw new IOException("query server answered " + response.status() + ": " + body);
            }
            List<ByteString> lines = response.entity().getDataBytes()
                    .via(Framing.delimiter(ByteString.fromString("\n"), 1 << 20, FramingTruncation.ALLOW))
                    .runWith(Sink.seq(), system).toCompletableFuture()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return parse(lines);
        } catch (ExecutionException e) {
            throw new IOException("cannot query " + queryUrl + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no complete answer from " + queryUrl + " within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying " + queryUrl, e);
        }
    }

    private Map<WindowKey, StoredWindow> parse(List<ByteString> lines) throws IOException {
        Map<WindowKey, StoredWindow> windows = new HashMap<>();
        for (ByteString line : lines) {
            String text = line.utf8String().trim();
            if (text.isEmpty()) {
                continue;
            }
            JsonNode row = mapper.readTree(text);
            if (row.isObject() && row.has("error")) {
                throw new IOException("the query failed part-way: " + row.get("error"));
            }
            WindowKey key = new WindowKey(row.get(0).asInt(), row.get(1).asInt(), row.get(2).asLong());
            windows.merge(key, new StoredWindow(row.get(3).asLong(), row.get(4).asDouble(), 1),
                    (old, more) -> old.plus(more.count(), more.sum()));
        }
        return windows;
    }
}
