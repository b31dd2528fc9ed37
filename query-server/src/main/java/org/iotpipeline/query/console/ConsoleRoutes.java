package org.iotpipeline.query.console;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.conditional;
import static akka.http.javadsl.server.Directives.extractUnmatchedPath;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.pathSingleSlash;
import static akka.http.javadsl.server.Directives.respondWithHeaders;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.EntityTag;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iotpipeline.query.http.HttpProblem;
import org.iotpipeline.query.http.ProblemResponses;

/**
 * The web console: {@code GET /} is the page, {@code GET /console/<file>} its scripts, style sheet
 * and uPlot, all from the server's jar ({@link ConsoleAssets}). Open without a token (the files hold
 * no data; every request for data goes through the routes that need one). Every answer carries a
 * content security policy that lets the page load scripts, styles and data only from this server and
 * run no inline script, so text from query results cannot become code even if it reached the DOM as
 * markup.
 */
public final class ConsoleRoutes {

    /** The policy of the page and its files. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final List<HttpHeader> SECURITY_HEADERS = List.of(
            RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("Referrer-Policy", "no-referrer"),
            RawHeader.create("X-Frame-Options", "DENY"),
            // Revalidated on every load (a 304 when unchanged), so a new server version is never half cached.
            RawHeader.create("Cache-Control", "no-cache"));

    private final ConsoleAssets assets;
    private final ProblemResponses problems;
    private final Map<String, ContentType> contentTypes = new ConcurrentHashMap<>();

    public ConsoleRoutes(ConsoleAssets assets, ProblemResponses problems) {
        this.assets = Objects.requireNonNull(assets, "assets is null");
        this.problems = Objects.requireNonNull(problems, "problems is null");
    }

    public Route route() {
        return concat(
                pathSingleSlash(() -> get(() -> serve(assets.page()))),
                pathPrefix("console", () -> get(() -> extractUnmatchedPath(rest -> {
                    String path = rest.startsWith("/") ? rest.substring(1) : rest;
                    return assets.find(path).map(this::serve).orElseGet(() -> complete(problems.of(HttpProblem.NOT_FOUND,
                            "the console has no file '" + path + "'")));
                }))));
    }

    private Route serve(ConsoleAssets.Asset asset) {
        ContentType type = contentTypes.computeIfAbsent(asset.mediaType(), ContentTypes::parse);
        return respondWithHeaders(SECURITY_HEADERS, () -> conditional(EntityTag.create(asset.etag(), false),
                () -> complete(HttpResponse.create().withEntity(HttpEntities.create(type, asset.bytes())))));
    }
}
