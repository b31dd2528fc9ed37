package org.iotpipeline.query.console;

import java.util.concurrent.CompletionStage;

/** Reads one admin URL of another service: the body of a 200, or a failure that says why not. */
@FunctionalInterface
public interface AdminFetcher {

    /** Completes with the body of a 200 answer; fails with {@link FetchFailedException} otherwise. */
    CompletionStage<String> get(String url);

    /** Why a service could not be read, in words for the page ("connection refused", "HTTP 503", ...). */
    final class FetchFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public FetchFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
