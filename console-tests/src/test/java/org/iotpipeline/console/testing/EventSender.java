package org.iotpipeline.console.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Posts batches of 10 events to the gateway from a background thread, about 20 a second, until
 * stopped, at most {@code maxRequests} times and for at most {@code maxTime} (it stops by itself).
 */
public final class EventSender implements AutoCloseable {

    private static final Duration PACE = Duration.ofMillis(50);

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;

    private EventSender(URI gateway, int maxRequests, Duration maxTime) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + maxTime.toNanos();
        thread = new Thread(() -> {
            for (int i = 0; i < maxRequests && running.get() && System.nanoTime() < deadline; i++) {
                long now = System.currentTimeMillis();
                StringBuilder body = new StringBuilder("[");
                for (int e = 0; e < 10; e++) {
                    body.append(e == 0 ? "" : ",").append("{\"deviceId\":").append(e).append(",\"metricId\":1,\"timestamp\":")
                            .append(now - e).append(",\"value\":").append(i % 50).append('}');
                }
                body.append(']');
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.resolve("/events"))
                                    .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        accepted.addAndGet(10);
                    } else {
                        failures.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    failures.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // Pacing, not waiting for anything: about 20 requests/s leaves the two cores to the browser.
                LockSupport.parkNanos(PACE.toNanos());
            }
        }, "event-sender");
        thread.setDaemon(true);
    }

    public static EventSender start(URI gateway, int maxRequests, Duration maxTime) {
        EventSender sender = new EventSender(gateway, maxRequests, maxTime);
        sender.thread.start();
        return sender;
    }

    public long accepted() {
        return accepted.get();
    }

    public long failures() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
