package org.iotpipeline.generator;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.iotpipeline.model.BodyFormat;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.model.InvalidEventsException;
import org.iotpipeline.model.Problem;
import org.iotpipeline.model.Violation;

/**
 * A real akka-http server that plays the gateway's contract for tests, bound to a free port:
 * it decodes bodies with the shared codec, refuses (400, persisting nothing) any request holding
 * an event of a refused device, answers 503 to any request holding an event of an unavailable
 * device and to every n-th request, and otherwise "persists" the events (records them) and
 * answers 202. It remembers everything it persisted and when, so tests can check the generator's
 * books against it.
 */
final class RecordingGateway implements AutoCloseable {

    /** One persisted event and the wall-clock time it arrived. */
    record Arrival(Event event, long receivedAt) {
    }

    /** How the server answers; build with the with* methods. */
    record Behaviour(Set<Integer> refusedDevices, Set<Integer> unavailableDevices, int failEveryNth,
                     boolean firstSightOnly, long retryAfterSeconds, Predicate<Long> hangRequest) {

        static Behaviour acceptAll() {
            return new Behaviour(Set.of(), Set.of(), 0, false, 0, n -> false);
        }

        Behaviour refusing(Integer... devices) {
            return new Behaviour(Set.of(devices), unavailableDevices, failEveryNth, firstSightOnly, retryAfterSeconds,
                    hangRequest);
        }

        Behaviour unavailableFor(Integer... devices) {
            return new Behaviour(refusedDevices, Set.of(devices), failEveryNth, firstSightOnly, retryAfterSeconds,
                    hangRequest);
        }

        /** 503 for requests number n, 2n, 3n, ... (counted from 1), retries included. */
        Behaviour failingEvery(int n, long retryAfterSeconds) {
            return new Behaviour(refusedDevices, unavailableDevices, n, false, retryAfterSeconds, hangRequest);
        }

        /**
         * 503 for every n-th body the gateway has not seen before; a body sent again (a retry) is
         * never refused by this rule, so no event runs out of attempts, however requests interleave.
         */
        Behaviour failingEveryNewBody(int n) {
            return new Behaviour(refusedDevices, unavailableDevices, n, true, 0, hangRequest);
        }

        /** Never answers the requests whose number (from 1) matches. */
        Behaviour hanging(Predicate<Long> requestNumbers) {
            return new Behaviour(refusedDevices, unavailableDevices, failEveryNth, firstSightOnly, retryAfterSeconds,
                    requestNumbers);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActorSystem system;
    private final Materializer materializer;
    private final Behaviour behaviour;
    private final EventCodec codec = EventCodec.withDefaults();
    private final ServerBinding binding;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong unavailableAnswers = new AtomicLong();
    private final AtomicLong newBodies = new AtomicLong();
    private final Set<java.nio.ByteBuffer> seenBodies = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Arrival> persisted = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Event> refused = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> requestTimes = new ConcurrentLinkedQueue<>();

    RecordingGateway(ActorSystem system, Behaviour behaviour) {
        this.system = system;
        this.materializer = Materializer.matFromSystem(system);
        this.behaviour = behaviour;
        this.binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(this::handle)
                .toCompletableFuture().join();
    }

    String url() {
        return "http://127.0.0.1:" + binding.localAddress().getPort() + "/events";
    }

    /** Every persisted event in the order it arrived (a re-sent event appears once per sending). */
    List<Arrival> persisted() {
        return new ArrayList<>(persisted);
    }

    List<Event> persistedEvents() {
        return persisted().stream().map(Arrival::event).toList();
    }

    /** Events of requests answered 400. */
    List<Event> refused() {
        return new ArrayList<>(refused);
    }

    long requests() {
        return requests.get();
    }

    long unavailableAnswers() {
        return unavailableAnswers.get();
    }

    /** Arrival times of all requests, in order. */
    List<Long> requestTimes() {
        return new ArrayList<>(requestTimes);
    }

    private CompletionStage<HttpResponse> handle(HttpRequest request) {
        long number = requests.incrementAndGet();
        requestTimes.add(System.currentTimeMillis());
        return request.entity().toStrict(5_000, materializer).thenCompose(entity -> {
            if (behaviour.hangRequest().test(number)) {
                return new CompletableFuture<>();
            }
            return CompletableFuture.completedFuture(answer(number, entity.getContentType().toString(),
                    entity.getData().toArray()));
        });
    }

    private boolean failsByNumber(long number, byte[] body) {
        if (behaviour.failEveryNth() <= 0) {
            return false;
        }
        if (!behaviour.firstSightOnly()) {
            return number % behaviour.failEveryNth() == 0;
        }
        return seenBodies.add(java.nio.ByteBuffer.wrap(body)) && newBodies.incrementAndGet() % behaviour.failEveryNth() == 0;
    }

    private HttpResponse answer(long number, String contentType, byte[] body) {
        if (BodyFormat.forMediaType(contentType).orElse(null) != BodyFormat.JSON) {
            return HttpResponse.create().withStatus(StatusCodes.UNSUPPORTED_MEDIA_TYPE);
        }
        List<Event> events;
        try {
            events = codec.decode(body, BodyFormat.JSON);
        } catch (InvalidEventsException e) {
            return problem(Problem.invalidEvents(e));
        }
        if (events.stream().anyMatch(e -> behaviour.unavailableDevices().contains(e.deviceId())) || failsByNumber(number, body)) {
            unavailableAnswers.incrementAndGet();
            return HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                    .addHeader(RetryAfter.create(behaviour.retryAfterSeconds()));
        }
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (behaviour.refusedDevices().contains(events.get(i).deviceId())) {
                violations.add(new Violation(i, "deviceId", "device is not registered"));
            }
        }
        if (!violations.isEmpty()) {
            refused.addAll(events);
            return problem(Problem.invalidEvents(new InvalidEventsException(violations)));
        }
        long now = System.currentTimeMillis();
        events.forEach(event -> persisted.add(new Arrival(event, now)));
        return HttpResponse.create().withStatus(StatusCodes.ACCEPTED)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"accepted\":" + events.size() + "}"));
    }

    private static HttpResponse problem(Problem problem) {
        try {
            return HttpResponse.create().withStatus(problem.status())
                    .withEntity(HttpEntities.create(ContentTypes.create(akka.http.javadsl.model.MediaTypes
                            .applicationWithFixedCharset("problem+json", akka.http.javadsl.model.HttpCharsets.UTF_8)),
                            JSON.writeValueAsBytes(problem)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().join();
    }
}
