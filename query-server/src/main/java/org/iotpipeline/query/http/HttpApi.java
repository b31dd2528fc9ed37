package org.iotpipeline.query.http;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.handleExceptions;
import static akka.http.javadsl.server.Directives.handleRejections;

import akka.http.javadsl.server.Route;

/** The whole HTTP API: query and admin routes, every error answered as a problem body. */
public final class HttpApi {

    private HttpApi() {
    }

    public static Route route(QueryRoutes queries, AdminRoutes admin, ProblemResponses problems) {
        return handleExceptions(problems.exceptionHandler(), () -> handleRejections(problems.rejectionHandler(),
                () -> concat(queries.route(), admin.route())));
    }
}
