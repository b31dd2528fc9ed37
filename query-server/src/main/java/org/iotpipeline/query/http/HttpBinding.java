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
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.TLSPlacebo;
import akka.stream.javadsl.Tcp;
import akka.util.ByteString;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

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
 */
public final class HttpBinding {

    private final Tcp.ServerBinding binding;

    private HttpBinding(Tcp.ServerBinding binding) {
        this.binding = binding;
    }

    public static CompletionStage<HttpBinding> bind(String host, int port, Route route, ServerSettings settings,
                                                    ClassicActorSystemProvider system) {
        Materializer materializer = Materializer.matFromSystem(system);
        Flow<HttpRequest, HttpResponse, NotUsed> handler = route.flow(system);
        Flow<ByteString, ByteString, NotUsed> connectionFlow = Http.get(system.classicSystem())
                .serverLayer(settings)
                .atop(plainTcp())
                .reversed()
                .join(handler)
                // A failed response stream ends the connection with a close, not a reset.
                .recoverWithRetries(1, new PFBuilder<Throwable, Graph<SourceShape<ByteString>, NotUsed>>()
                        .matchAny(failure -> Source.empty())
                        .build());
        scala.concurrent.duration.Duration idle = settings.getTimeouts().idleTimeout();
        Optional<Duration> idleTimeout = idle.isFinite() ? Optional.of(Duration.ofMillis(idle.toMillis())) : Optional.empty();
        return Tcp.get(system.classicSystem())
                .bind(host, port, settings.getBacklog(), List.of(), false, idleTimeout)
                .to(Sink.foreach(connection -> connection.handleWith(connectionFlow, materializer)))
                .run(materializer)
                .thenApply(HttpBinding::new);
    }

    /** No TLS: bytes pass through ({@code SessionBytes} is the {@code SslTlsInbound} of a plain connection). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> plainTcp() {
        return (BidiFlow) TLSPlacebo.getInstance();
    }

    public InetSocketAddress localAddress() {
        return binding.localAddress();
    }

    /** Stops accepting new connections; connections already open finish what they are doing. */
    public CompletionStage<?> unbind() {
        return binding.unbind();
    }
}
