package org.iotpipeline.query.http;

import akka.NotUsed;
import akka.actor.ClassicActorSystemProvider;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.settings.ServerSettings;
import akka.japi.pf.PFBuilder;
import akka.stream.Graph;
import akka.stream.Materializer;
import akka.stream.SourceShape;
import akka.stream.TLSProtocol;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.TLSClosing;
import akka.stream.javadsl.TLS;
import akka.stream.javadsl.TLSPlacebo;
import akka.stream.javadsl.Tcp;
import akka.util.ByteString;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * Binds the HTTP API like {@code Http.newServerAt(...).bind(route)}, with one difference: when a
 * streamed answer fails part-way, the connection is <b>closed</b> (TCP FIN) after the bytes already
 * sent, instead of being reset (TCP RST, akka-http's behaviour, akka/akka-http#2709).
 *
 * <p>Why: a reset makes the client's TCP stack and HTTP library drop data they received but the
 * application has not read yet, which can include the error line that explains the failure. With
 * a close, the client reads every line, including the error line, and then sees the chunked body
 * end without its terminating chunk, which every HTTP client reports as an incomplete transfer
 * (curl exit 18, Java's HttpClient an IOException): a cut stream is never mistaken for a complete
 * one.
 *
 * <p>It also bounds the listener ({@link Connections}): at most {@code max-connections} open (one
 * more is answered 503 and closed), idle connections closed after {@code idle-timeout}, and every
 * request carries its {@link TrackedConnection}, so a query whose client hung up is cancelled.
 */
public final class HttpBinding {

    private final Tcp.ServerBinding binding;
    private final Connections connections;

    private HttpBinding(Tcp.ServerBinding binding, Connections connections) {
        this.binding = binding;
        this.connections = connections;
    }

    /**
     * @param limits   connection cap and idle timeout of connections without a request in flight
     * @param problems builds the 503 of a connection over the cap
     * @param timer    runs the idle sweep
     */
    public static CompletionStage<HttpBinding> bind(String host, int port, Route route, ServerSettings settings,
                                                    HttpLimits limits, TlsSettings tls, ProblemResponses problems,
                                                    ScheduledExecutorService timer, ClassicActorSystemProvider system) {
        Optional<Supplier<SSLEngine>> engines = tls.engines();
        Materializer materializer = Materializer.matFromSystem(system);
        Flow<HttpRequest, HttpResponse, NotUsed> routeFlow = route.flow(system);
        Http http = Http.get(system.classicSystem());
        Connections connections = new Connections(limits, timer, System::nanoTime);
        HttpResponse tooMany = problems.of(HttpProblem.TOO_MANY_CONNECTIONS,
                        "the server has " + limits.maxConnections() + " connections open"
                                + " (query-server.http.max-connections); retry later")
                .addHeader(RetryAfter.create(1L))
                .addHeader(akka.http.javadsl.model.headers.Connection.create("close"));
        Flow<HttpRequest, HttpResponse, NotUsed> refuse = Flow.of(HttpRequest.class).map(request -> {
            request.discardEntityBytes(materializer);
            return tooMany;
        });
        scala.concurrent.duration.Duration idle = settings.getTimeouts().idleTimeout();
        Optional<Duration> idleTimeout = idle.isFinite() ? Optional.of(Duration.ofMillis(idle.toMillis())) : Optional.empty();
        return Tcp.get(system.classicSystem())
                .bind(host, port, settings.getBacklog(), List.of(), false, idleTimeout)
                .to(Sink.foreach(connection -> {
                    Optional<TrackedConnection> tracked = connections.open(connection.remoteAddress());
                    if (tracked.isEmpty()) {
                        connection.handleWith(connectionFlow(http, settings, engines, refuse), materializer);
                        return;
                    }
                    TrackedConnection client = tracked.get();
                    UniqueKillSwitch killSwitch = connection.handleWith(Flow.of(ByteString.class)
                            // The client closed its side: the queries it sent are cancelled. Watched on the
                            // inbound bytes: the outbound side only ends once the answer is written.
                            .watchTermination((notUsed, done) -> {
                                done.whenComplete((ignored, failure) -> connections.closed(client));
                                return notUsed;
                            })
                            .via(connectionFlow(http, settings, engines, tracking(routeFlow, client, connections)))
                                    .viaMat(KillSwitches.single(), Keep.right())
                                    .watchTermination((kill, done) -> {
                                        done.whenComplete((ignored, failure) -> connections.closed(client));
                                        return kill;
                                    }), materializer);
                    client.attach(killSwitch);
                }))
                .run(materializer)
                .thenApply(binding -> new HttpBinding(binding, connections));
    }

    /**
     * The route, with each request tagged with its connection and counted in flight until its
     * response, including a streamed entity, is done.
     */
    private static Flow<HttpRequest, HttpResponse, NotUsed> tracking(Flow<HttpRequest, HttpResponse, NotUsed> route,
                                                                     TrackedConnection client, Connections connections) {
        return Flow.of(HttpRequest.class)
                .map(request -> {
                    client.requestStarted();
                    return request.addAttribute(TrackedConnection.KEY, client);
                })
                .via(route)
                .map(response -> {
                    if (response.entity().isStrict()) {
                        client.responseDone(connections.now());
                        return response;
                    }
                    return response.transformEntityDataBytes(Flow.<ByteString>create()
                            .watchTermination((notUsed, done) -> {
                                done.whenComplete((ignored, failure) -> client.responseDone(connections.now()));
                                return notUsed;
                            }));
                });
    }

    /**
     * HTTP (over TLS when {@code engines} is present) over the connection's bytes; a failed response
     * stream ends the connection with a close, not a reset.
     */
    private static Flow<ByteString, ByteString, NotUsed> connectionFlow(Http http, ServerSettings settings,
                                                                     Optional<Supplier<SSLEngine>> engines,
                                                                     Flow<HttpRequest, HttpResponse, NotUsed> handler) {
        return http.serverLayer(settings)
                .atop(engines.map(HttpBinding::tls).orElseGet(HttpBinding::plainTcp))
                .reversed()
                .join(handler)
                .recoverWithRetries(1, new PFBuilder<Throwable, Graph<SourceShape<ByteString>, NotUsed>>()
                        .matchAny(failure -> Source.empty())
                        .build());
    }

    /** TLS with a fresh engine per connection. */
    private static BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> tls(
            Supplier<SSLEngine> engines) {
        return TLS.create(engines::get, TLSClosing.eagerClose());
    }

    /** No TLS: bytes pass through ({@code SessionBytes} is the {@code SslTlsInbound} of a plain connection). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> plainTcp() {
        return (BidiFlow) TLSPlacebo.getInstance();
    }

    public InetSocketAddress localAddress() {
        return binding.localAddress();
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Stops accepting new connections; connections already open finish what they are doing. */
    public CompletionStage<?> unbind() {
        return binding.unbind().whenComplete((done, error) -> connections.close());
    }
}
