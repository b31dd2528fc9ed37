// Benchmark baseline (run by scripts/bench-generator.sh in Java's single-file source mode):
// the least an akka-http client can do per request, a fixed single-event POST pushed through
// cachedHostConnectionPool as fast as it completes, responses discarded. It shows how much of the
// generator's cost per request is akka-http itself and how much is the generator's own work
// (value model, encoding, retries, accounting).
// Usage: java -cp <load-generator classpath> BareAkkaClient.java <url> <connections> <seconds> <warm-up seconds>
import akka.actor.ActorSystem;
import akka.http.javadsl.ConnectHttp;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

public class BareAkkaClient {
    public static void main(String[] args) {
        Uri uri = Uri.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        long warmupNanos = Long.parseLong(args[3]) * 1_000_000_000L;
        ActorSystem system = ActorSystem.create("bare-client");
        Materializer materializer = Materializer.matFromSystem(system);
        ConnectionPoolSettings pool = ConnectionPoolSettings.create(system)
                .withMaxConnections(connections).withMaxOpenRequests(Integer.highestOneBit(connections * 2 - 1) << 1);
        HttpRequest request = HttpRequest.create().withMethod(HttpMethods.POST).withUri(uri).withEntity(
                ContentTypes.APPLICATION_JSON, "{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":21.5625}");
        LongAdder ok = new LongAdder();
        long start = System.nanoTime();
        long[] marks = new long[2]; // responses and time at the end of the warm-up
        Source.repeat(Pair.create(request, 0))
                .takeWithin(Duration.ofSeconds(seconds))
                .via(Http.get(system).<Integer>cachedHostConnectionPool(
                        ConnectHttp.toHost(uri.host().address(), uri.port()), pool, system.log()))
                .runWith(Sink.foreach(pair -> {
                    pair.first().get().discardEntityBytes(materializer);
                    ok.increment();
                    if (marks[0] == 0 && System.nanoTime() - start > warmupNanos) {
                        marks[0] = ok.sum();
                        marks[1] = System.nanoTime();
                    }
                }), system)
                .toCompletableFuture().join();
        double steady = (ok.sum() - marks[0]) / ((System.nanoTime() - marks[1]) / 1e9);
        System.out.printf("bare akka-http pool: %d responses in %d s; steady state %.0f requests/s%n",
                ok.sum(), seconds, steady);
        system.terminate();
    }
}
