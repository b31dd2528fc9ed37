package org.iotpipeline.query.http;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.handleExceptions;
import static akka.http.javadsl.server.Directives.handleRejections;

import akka.http.javadsl.server.Route;

/** The whole HTTP API: query, admin and console routes, every error answered as a problem body. */
public final class HttpApi {

    private HttpApi() {
    }

    public static Route route(ProblemResponses problems, Route first, Route... more) {
        return handleExceptions(problems.exceptionHandler(), () -> handleRejections(problems.rejectionHandler(),
                () -> concat(first, more)));
    }
}
