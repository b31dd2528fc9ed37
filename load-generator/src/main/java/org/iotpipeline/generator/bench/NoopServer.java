package org.iotpipeline.generator.bench;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.stream.Materializer;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's stand-in for the gateway: an akka-http server that answers every request
 * {@code 202 {"accepted":1}} without looking at the body, so a benchmark measures the client
 * (wrk or the generator), not the server's work. Usage: {@code NoopServer <port> [host]}.
 */
public final class NoopServer {

    private static final Logger log = LoggerFactory.getLogger(NoopServer.class);

    private NoopServer() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2 || !args[0].matches("\\d{1,5}")) {
            System.err.println("Usage: NoopServer <port> [host, default 127.0.0.1]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        ActorSystem system = ActorSystem.create("noop-server");
        Materializer materializer = Materializer.matFromSystem(system);
        LongAdder requests = new LongAdder();
        HttpResponse accepted = HttpResponse.create().withStatus(StatusCodes.ACCEPTED)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"accepted\":1}"));
        ServerBinding binding;
        try {
            binding = Http.get(system).newServerAt(host, port).bindSync(request -> {
                request.discardEntityBytes(materializer);
                requests.increment();
                return accepted;
            }).toCompletableFuture().join();
        } catch (RuntimeException e) {
            log.error("Could not bind {}:{}: {}", host, port, e.getMessage());
            system.terminate();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> log.info("NoopServer answered {} requests", requests.sum()), "noop-server-report"));
        log.info("READY: NoopServer answering 202 on http://{}:{}/", host, binding.localAddress().getPort());
    }
}
