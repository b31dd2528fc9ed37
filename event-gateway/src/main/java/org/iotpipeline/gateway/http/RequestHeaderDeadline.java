package org.iotpipeline.gateway.http;

import akka.NotUsed;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.Attributes;
import akka.stream.BidiShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.javadsl.BidiFlow;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import java.time.Duration;
import java.util.Objects;

/**
 * Closes a connection whose next request head does not arrive in time. akka-http hands a request
 * to the handler once its head (request line and headers) is parsed, and it has no timeout for
 * that phase: its idle-timeout restarts with every byte, so a client trickling header bytes keeps a
 * connection (one of max-connections) forever. This stage sits between akka-http and the routes
 * of one connection (it is materialized per connection) and starts a timer whenever the
 * connection waits for a request head: when it opens (the TLS handshake included) and when the
 * last outstanding response has left. A request head arriving stops the timer; the timer firing
 * completes the handler side, and akka-http closes the connection without an answer.
 *
 * <p>While requests are outstanding the timer is off: body reading is bounded by the routes'
 * body-read timeout and the whole request by akka-http's request-timeout.
 */
public final class RequestHeaderDeadline
        extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {

    private static final String TIMER = "request-header-deadline";

    private final Inlet<HttpRequest> requestsIn = Inlet.create("RequestHeaderDeadline.requestsIn");
    private final Outlet<HttpRequest> requestsOut = Outlet.create("RequestHeaderDeadline.requestsOut");
    private final Inlet<HttpResponse> responsesIn = Inlet.create("RequestHeaderDeadline.responsesIn");
    private final Outlet<HttpResponse> responsesOut = Outlet.create("RequestHeaderDeadline.responsesOut");
    private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
            BidiShape.of(requestsIn, requestsOut, responsesIn, responsesOut);

    private final Duration timeout;
    private final Runnable onTimeout;

    /**
     * @param timeout   how long a connection may wait for the next complete request head
     * @param onTimeout called when a connection is closed for that (metrics)
     */
    RequestHeaderDeadline(Duration timeout, Runnable onTimeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
        this.onTimeout = Objects.requireNonNull(onTimeout, "onTimeout is null");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** The stage as a BidiFlow to {@code join} with a connection's handler flow. */
    public static BidiFlow<HttpRequest, HttpRequest, HttpResponse, HttpResponse, NotUsed> bidi(Duration timeout,
                                                                                        Runnable onTimeout) {
        return BidiFlow.fromGraph(new RequestHeaderDeadline(timeout, onTimeout));
    }

    @Override
    public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new TimerGraphStageLogic(shape) {

            /** Requests handed to the routes and not yet answered. */
            private int outstanding;

            {
                // Each direction ends on its own (the defaults would end the whole stage): akka-http
                // ends the request side when it will read no more requests, e.g. after a body was
                // abandoned, and the answer to the last request must still get out.
                setHandler(requestsIn, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        outstanding++;
                        cancelTimer(TIMER);
                        push(requestsOut, grab(requestsIn));
                    }

                    @Override
                    public void onUpstreamFinish() {
                        cancelTimer(TIMER);
                        complete(requestsOut);
                    }
                });
                setHandler(requestsOut, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pull(requestsIn);
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        cancel(requestsIn, cause);
                    }
                });
                setHandler(responsesIn, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        outstanding--;
                        push(responsesOut, grab(responsesIn));
                        if (outstanding == 0 && !isClosed(requestsIn)) {
                            scheduleOnce(TIMER, timeout);
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        complete(responsesOut);
                    }
                });
                setHandler(responsesOut, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pull(responsesIn);
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        cancel(responsesIn, cause);
                    }
                });
            }

            @Override
            public void preStart() {
                scheduleOnce(TIMER, timeout);
            }

            @Override
            public void onTimer(Object key) {
                if (outstanding == 0) {
                    onTimeout.run();
                    completeStage();
                }
            }
        };
    }
}
