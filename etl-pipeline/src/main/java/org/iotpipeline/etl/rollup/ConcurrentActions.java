package org.iotpipeline.etl.rollup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs independent Spark actions of one micro-batch at the same time and waits for all of them.
 * On a small machine a batch's jobs are short and much of each is driver work (planning,
 * scheduling, committing files); side by side, one job's tasks use the cores while another's
 * driver work runs.
 *
 * <p>To its caller it behaves as if the actions ran one after the other on the calling thread:
 * each action's thread is created by the caller, so it inherits the caller's Spark local
 * properties (the streaming query's job group and tags, which stopping the query cancels); the
 * results come back in order; a failure is thrown as the action threw it (a cancelled job's
 * {@code SparkException} stays recognisable to the streaming query as a stop). When one action
 * fails or the caller is interrupted, the jobs of the others are cancelled and all have ended
 * before this returns or throws: nothing of the batch keeps writing behind a failed attempt.
 */
final class ConcurrentActions {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentActions.class);

    /** How long to wait for the cancelled actions' threads; a Spark job fails at once when cancelled. */
    private static final Duration CANCEL_WAIT = Duration.ofMinutes(1);

    /** One Spark action: writes something and returns a figure of it. May throw Spark's undeclared checked exceptions. */
    @FunctionalInterface
    interface Action {
        long run() throws Exception;
    }

    private ConcurrentActions() {
    }

    /**
     * @param purpose names the threads and the job tag, e.g. {@code "batch 12"}
     * @return each action's result, in the order given
     */
    static long[] runAll(SparkContext spark, String purpose, List<Action> actions) {
        Objects.requireNonNull(spark, "spark is null");
        Objects.requireNonNull(purpose, "purpose is null");
        List<Action> todo = List.copyOf(actions);
        // A job tag may not contain a comma; the UUID keeps two batches' tags apart.
        String tag = ("iotpipeline-" + purpose.replaceAll("[^A-Za-z0-9]+", "-") + "-" + UUID.randomUUID())
                .toLowerCase(Locale.ROOT);
        ExecutorService threads = Executors.newFixedThreadPool(todo.size(), threadsNamed(purpose));
        CompletionService<Long> finished = new ExecutorCompletionService<>(threads);
        List<Future<Long>> running = new ArrayList<>();
        boolean allDone = false;
        try {
            for (Action action : todo) {
                running.add(finished.submit(() -> {
                    spark.addJobTag(tag);
                    return action.run();
                }));
            }
            // In the order they end, so the first failure cancels the others at once.
            for (int i = 0; i < todo.size(); i++) {
                finished.take().get();
            }
            allDone = true;
            long[] results = new long[todo.size()];
            for (int i = 0; i < results.length; i++) {
                results[i] = running.get(i).get();
            }
            return results;
        } catch (ExecutionException e) {
            throw ConcurrentActions.<RuntimeException>sneaky(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ConcurrentActions.<RuntimeException>sneaky(e);
        } finally {
            threads.shutdown();
            awaitEnd(threads, purpose, allDone ? null : () -> spark.cancelJobsWithTag(tag));
        }
    }

    /**
     * Waits for the actions' threads. With {@code cancel}, cancels their jobs every second while
     * waiting: an action may submit its job only after the first cancel (it was still planning).
     */
    private static void awaitEnd(ExecutorService threads, String purpose, Runnable cancel) {
        boolean interrupted = Thread.interrupted();
        try {
            long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
            while (!threads.isTerminated()) {
                if (cancel != null) {
                    cancel.run();
                    if (System.nanoTime() - deadline > 0) {
                        log.warn("{}: Spark actions still running {} after their jobs were cancelled; leaving them",
                                purpose, CANCEL_WAIT);
                        threads.shutdownNow();
                        return;
                    }
                }
                try {
                    threads.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // kept for the caller below; the actions must end first
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadFactory threadsNamed(String purpose) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, purpose + " action " + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Throws {@code failure} unchanged, checked or not (Spark's actions do the same). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable failure) throws E {
        throw (E) failure;
    }
}
