package org.iotpipeline.etl.rollup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.iotpipeline.etl.testkit.EtlSparkExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The close batch's writes side by side: as if run in turn on the caller's thread, and none left running after a failure. */
class ConcurrentActionsIT {

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theActionsRunSideBySideWithTheCallersJobGroupAndTheirResultsComeBackInOrder() {
        SparkContext context = spark.session().sparkContext();
        context.setJobGroup("the-streaming-query", "a batch", false);
        try {
            // Each action waits for the other to have started: in turn, the first would wait in vain.
            CountDownLatch bothStarted = new CountDownLatch(2);
            AtomicReference<String> groupSeen = new AtomicReference<>();
            ConcurrentActions.Action first = () -> {
                groupSeen.set(context.getLocalProperty("spark.jobGroup.id"));
                awaitOther(bothStarted);
                return spark.session().range(3).count();
            };
            ConcurrentActions.Action second = () -> {
                awaitOther(bothStarted);
                return spark.session().range(5).count();
            };

            assertArrayEquals(new long[] {3, 5}, ConcurrentActions.runAll(context, "batch 1", List.of(first, second)));
            assertEquals("the-streaming-query", groupSeen.get(), "the actions' jobs belong to the caller's job group");
        } finally {
            context.clearJobGroup();
        }
    }

    @Test
    void aFailureIsThrownAsItWasOnceTheOtherActionsJobsAreCancelled() throws IOException {
        SparkContext context = spark.session().sparkContext();
        BlockingJob blocked = new BlockingJob(dir);
        IllegalStateException failure = new IllegalStateException("the open-window write failed");
        try {
            ConcurrentActions.Action failing = () -> {
                blocked.awaitStarted(); // the other action's job is running
                throw failure;
            };

            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> ConcurrentActions.runAll(context, "batch 2", List.of(blocked::run, failing)));

            assertSame(failure, thrown);
            // runAll returned only once the blocked action had ended: its job was cancelled, not released.
            blocked.assertCancelled("the other action's job still ran when the failure was thrown");
        } finally {
            blocked.release(); // ends the task itself, which a cancel does not interrupt
        }
    }

    @Test
    void anInterruptedCallerCancelsTheJobsWaitsForThemAndKeepsItsInterrupt() throws Exception {
        SparkContext context = spark.session().sparkContext();
        BlockingJob blocked = new BlockingJob(dir);
        AtomicReference<Throwable> callerSaw = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                ConcurrentActions.runAll(context, "batch 3", List.of(blocked::run));
            } catch (Throwable e) {
                callerSaw.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        }, "stream thread stand-in");
        try {
            caller.start();
            blocked.awaitStarted();
            caller.interrupt();
            caller.join(DEADLINE.toMillis());

            assertInstanceOf(InterruptedException.class, callerSaw.get());
            assertTrue(interruptKept.get(), "the caller's interrupt flag was cleared");
            blocked.assertCancelled("the action's job still ran when the caller gave up");
        } finally {
            blocked.release();
            caller.join(DEADLINE.toMillis());
        }
    }

    /**
     * A one-task job that marks a file when it runs and then waits for a release file (polling, with
     * the deadline); records how the job ended.
     */
    private static final class BlockingJob {
        private final Path started;
        private final Path release;
        private final AtomicReference<Exception> ended = new AtomicReference<>();

        BlockingJob(Path dir) {
            this.started = dir.resolve("started");
            this.release = dir.resolve("release");
        }

        long run() throws Exception {
            String startedFile = started.toString();
            String releaseFile = release.toString();
            long deadlineMs = DEADLINE.toMillis();
            try {
                long rows = spark.session().range(1).map((MapFunction<Long, Long>) x -> {
                    Files.createFile(Path.of(startedFile));
                    long until = System.currentTimeMillis() + deadlineMs;
                    while (!Files.exists(Path.of(releaseFile)) && System.currentTimeMillis() < until) {
                        Thread.sleep(20);
                    }
                    return x;
                }, Encoders.LONG()).count();
                ended.set(new IllegalStateException("ended by its release file"));
                return rows;
            } catch (Exception e) {
                ended.set(e);
                throw e;
            }
        }

        void awaitStarted() throws InterruptedException {
            awaitFile(started);
        }

        void release() throws IOException {
            Files.createFile(release);
        }

        void assertCancelled(String ifStillRunning) {
            Exception jobEnded = ended.get();
            assertNotNull(jobEnded, ifStillRunning);
            assertTrue(jobEnded.getMessage().toLowerCase(Locale.ROOT).contains("cancel"), () -> "not cancelled: " + jobEnded);
        }
    }

    private static void awaitOther(CountDownLatch bothStarted) throws InterruptedException {
        bothStarted.countDown();
        if (!bothStarted.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other action did not start while this one ran");
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long until = System.nanoTime() + DEADLINE.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException(file + " did not appear within " + DEADLINE);
            }
            Thread.sleep(20);
        }
    }
}
