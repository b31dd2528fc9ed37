package org.iotpipeline.generator;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.iotpipeline.generator.report.Counts;
import org.iotpipeline.generator.report.RunSummary;
import org.iotpipeline.model.BodyFormat;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.tls.KeyStoreTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator against a gateway that speaks only HTTPS (a self-signed certificate) and answers
 * 401 unless the request carries its API key, as the event gateway does with auth and TLS on.
 */
class LoadRunHttpsIT {

    private static final String KEY = "fleet-a.c2VjcmV0LXNlY3JldC1zZWNyZXQ";
    private static final String PASSWORD = "store-password";

    @RegisterExtension
    static final ActorSystemExtension actors = new ActorSystemExtension("load-run-https-it");

    @TempDir
    static Path directory;
    private static Path keyStore;
    private static ServerBinding binding;
    private static final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Integer> accepted = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startServer() throws Exception {
        keyStore = directory.resolve("gateway.p12");
        keytool("-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        EventCodec codec = EventCodec.withDefaults();
        binding = Http.get(actors.system()).newServerAt("127.0.0.1", 0)
                .enableHttps(ConnectionContext.httpsServer(KeyStoreTls.serverContext(keyStore, PASSWORD.toCharArray())))
                .bind((akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>) request -> answer(request, codec))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (binding != null) {
            binding.unbind().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static CompletionStage<HttpResponse> answer(HttpRequest request, EventCodec codec) {
        String authorization = request.getHeader("authorization").map(header -> header.value()).orElse("");
        authorizations.add(authorization);
        return request.entity().toStrict(5_000, actors.system()).thenApply(strict -> {
            if (!authorization.equals("Bearer " + KEY)) {
                return HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED);
            }
            try {
                int events = codec.decode(((HttpEntity.Strict) strict).getData().toArray(), BodyFormat.JSON).size();
                accepted.add(events);
                return HttpResponse.create().withStatus(StatusCodes.ACCEPTED)
                        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"accepted\":" + events + "}"));
            } catch (org.iotpipeline.model.InvalidEventsException e) {
                return HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST);
            }
        });
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    private static RunSummary run(Map<String, Object> extra) {
        Map<String, Object> paths = new HashMap<>(Map.of(
                "url", "https://127.0.0.1:" + binding.localAddress().getPort() + "/events",
                "devices", 5, "metrics-per-device", 2, "interval", "10s", "event-count", 100, "batch-size", 4,
                "backfill.start", Instant.now().minus(Duration.ofDays(1)).toString(), "backfill.speed", "max",
                "progress-interval", "0s", "retry.max-attempts", 2));
        paths.put("retry.initial-backoff", "1ms");
        paths.put("retry.max-backoff", "5ms");
        paths.putAll(extra);
        Map<String, Object> config = new HashMap<>();
        paths.forEach((key, value) -> config.put(GeneratorSettings.ROOT + "." + key, value));
        GeneratorSettings settings = GeneratorSettings.from(
                ConfigFactory.parseMap(config).withFallback(ConfigFactory.defaultReference()).resolve(), Clock.systemUTC());
        return LoadRun.start(settings, actors.system(), Clock.systemUTC(), line -> { })
                .finished().toCompletableFuture().join();
    }

    @Test
    void withTheKeyAndTheTrustStoreEveryEventIsAcknowledgedOverHttps() {
        authorizations.clear();
        accepted.clear();

        RunSummary summary = run(Map.of("api-key", KEY, "tls.trust-store", keyStore.toString(),
                "tls.trust-store-password", PASSWORD));

        Counts counts = summary.counts();
        assertThat(counts.acknowledged()).isEqualTo(100);
        assertThat(summary.exitCode()).isZero();
        assertThat(accepted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(authorizations).isNotEmpty().allMatch(value -> value.equals("Bearer " + KEY));
    }

    @Test
    void withoutTheKeyEveryEventIsRejected() {
        authorizations.clear();

        RunSummary summary = run(Map.of("tls.trust-store", keyStore.toString(), "tls.trust-store-password", PASSWORD));

        assertThat(summary.counts().rejected()).isEqualTo(100);
        assertThat(authorizations).isNotEmpty().allMatch(String::isEmpty);
    }

    @Test
    void withoutTrustingTheCertificateNothingGetsThrough() {
        authorizations.clear();

        RunSummary summary = run(Map.of("api-key", KEY));

        assertThat(summary.counts().failed()).isEqualTo(100);
        assertThat(summary.exitCode()).isEqualTo(RunSummary.EXIT_FAILED_EVENTS);
        assertThat(authorizations).as("no request got through the handshake").isEmpty();
    }
}
