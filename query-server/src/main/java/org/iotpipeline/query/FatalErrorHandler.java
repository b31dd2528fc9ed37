package org.iotpipeline.query;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's last resort for an error that escaped every thread's own handling. Query threads and
 * Spark tasks ({@link LockedSparkSettings}) turn a query's OutOfMemoryError or StackOverflowError
 * into a failed query; one that still escapes hit a thread the server needs (Spark's scheduler,
 * akka), after which the process would run on half dead. So the process ends at once with exit
 * code {@value #EXIT_CODE} after a FATAL log line, and the start script's supervisor
 * ({@code scripts/lib/supervise.sh}) starts it again. Other uncaught exceptions are only logged.
 */
final class FatalErrorHandler implements Thread.UncaughtExceptionHandler {

    /** Exit code of a process ended by a fatal error (the supervisor names it in its log). */
    static final int EXIT_CODE = 70;

    private static final Logger log = LoggerFactory.getLogger(FatalErrorHandler.class);

    /** Installs the handler for every thread without its own. */
    static void install() {
        Thread.setDefaultUncaughtExceptionHandler(new FatalErrorHandler());
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        if (error instanceof VirtualMachineError) {
            try {
                log.error("FATAL: {} in thread {}; the query server exits with code {} (its supervisor restarts it)",
                        error, thread.getName(), EXIT_CODE, error);
            } finally {
                // halt, not exit: shutdown hooks could block on the broken thread's locks.
                Runtime.getRuntime().halt(EXIT_CODE);
            }
        }
        log.error("Uncaught exception in thread {}", thread.getName(), error);
    }
}
