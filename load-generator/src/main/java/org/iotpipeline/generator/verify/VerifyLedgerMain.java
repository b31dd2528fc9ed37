package org.iotpipeline.generator.verify;

import akka.actor.ActorSystem;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.iotpipeline.generator.ledger.LedgerReader;
import org.iotpipeline.generator.ledger.LedgerWindow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end check: compares a generator ledger with what table {@code measurements} holds,
 * through the query server, and optionally keeps checking until they match (windows close and
 * files land asynchronously).
 */
@Command(name = "verify-ledger.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Checks that table measurements holds exactly the acknowledged events of a generator ledger:"
                + " every window once, with the ledger's count and sum, and nothing else for the ledger's devices and time range.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the store matches the ledger", "1:it does not (after --wait), or with --never-above a window "
                + "held more than the ledger at some check", "2:bad arguments or unreadable ledger"})
public final class VerifyLedgerMain implements Callable<Integer> {

    @Option(names = "--ledger", required = true, description = "Ledger file written by the generator (--ledger)")
    private Path ledgerFile;
    @Option(names = "--query-url", defaultValue = "http://127.0.0.1:8082/query", description = "Query server endpoint (default ${DEFAULT-VALUE})")
    private String queryUrl;
    @Option(names = "--token", description = "Bearer token of the query server, if it requires one")
    private String token;
    @Option(names = "--wait", defaultValue = "0s", description = "Keep checking until it matches or this long has passed, e.g. 5m (default ${DEFAULT-VALUE})")
    private String waitFor;
    @Option(names = "--poll", defaultValue = "3s", description = "Pause between checks while waiting (default ${DEFAULT-VALUE})")
    private String pollEvery;
    @Option(names = "--never-above", description = "Fail at once if any check finds a window stored more than once, "
            + "with more events than the ledger, or not in the ledger: while waiting, the store may lag the ledger, never exceed it")
    private boolean neverAbove;
    @Option(names = "--table", defaultValue = "measurements", description = "Table to check: measurements (final windows, "
            + "default) or measurements_live (final and provisional windows: matches as soon as the events are committed)")
    private String table;
    @Option(names = "--require-duplicates", description = "Fail unless the ledger's run re-sent acknowledged events "
            + "(--duplicate-fraction), so the check proves they were counted once")
    private boolean requireDuplicates;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VerifyLedgerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LedgerReader.Contents ledger;
        Duration wait;
        Duration poll;
        try {
            ledger = new LedgerReader().read(ledgerFile);
            wait = ConfigFactory.parseString("d = " + waitFor).getDuration("d");
            poll = ConfigFactory.parseString("d = " + pollEvery).getDuration("d");
        } catch (Exception e) {
            System.err.println("ERROR: " + e.getMessage());
            return 2;
        }
        if (ledger.windows().isEmpty()) {
            System.err.println("ERROR: the ledger " + ledgerFile + " has no acknowledged events to check");
            return 2;
        }
        long acknowledgedInWindows = ledger.windows().stream().mapToLong(LedgerWindow::count).sum();
        System.out.printf(Locale.ROOT, "Ledger: %d windows, %d acknowledged events (%d generated, %d rejected, %d failed, %d duplicates sent)%n",
                ledger.windows().size(), ledger.acknowledged(), ledger.generated(), ledger.rejected(), ledger.failed(),
                ledger.duplicatesSent());
        if (!table.equals("measurements") && !table.equals("measurements_live")) {
            System.err.println("ERROR: --table must be measurements or measurements_live, got " + table);
            return 2;
        }
        if (requireDuplicates && ledger.duplicatesSent() == 0) {
            System.out.println("MISMATCH: --require-duplicates, but the ledger's run re-sent no acknowledged event");
            return 1;
        }
        if (acknowledgedInWindows != ledger.acknowledged()) {
            System.out.printf(Locale.ROOT, "MISMATCH inside the ledger: its windows hold %d events, its header says %d acknowledged%n",
                    acknowledgedInWindows, ledger.acknowledged());
            return 1;
        }
        ActorSystem system = ActorSystem.create("verify-ledger", ConfigFactory.parseString(
                "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING").withFallback(ConfigFactory.load()));
        try {
            MeasurementsClient client = new MeasurementsClient(system, queryUrl, Optional.ofNullable(token), table);
            return waitForMatch(client, ledger, wait, poll, neverAbove);
        } finally {
            // Pools first, or akka logs their shutdown as unexpected.
            akka.http.javadsl.Http.get(system).shutdownAllConnectionPools().toCompletableFuture().join();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }

    private static int waitForMatch(MeasurementsClient client, LedgerReader.Contents ledger, Duration wait, Duration poll,
                                    boolean neverAbove) throws InterruptedException {
        int minDevice = ledger.windows().stream().mapToInt(LedgerWindow::deviceId).min().orElseThrow();
        int maxDevice = ledger.windows().stream().mapToInt(LedgerWindow::deviceId).max().orElseThrow();
        long from = ledger.windows().get(0).windowStart();
        long to = ledger.windows().get(ledger.windows().size() - 1).windowStart();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String outcome;
            LedgerComparison comparison = null;
            try {
                comparison = LedgerComparison.compare(ledger.windows(), client.windows(minDevice, maxDevice, from, to));
                outcome = String.format(Locale.ROOT, "%d of %d windows match, %d of %d events stored, %d difference(s)",
                        comparison.matching(), comparison.expectedWindows(), comparison.storedEvents(),
                        ledger.acknowledged(), comparison.problemCount());
            } catch (java.io.IOException e) {
                outcome = "query failed: " + e.getMessage();
            }
            boolean matched = comparison != null && comparison.matches();
            if (neverAbove && comparison != null && comparison.exceeds()) {
                System.out.println("EXCEEDED: " + outcome + "; a window holds more than the ledger:");
                comparison.excesses().forEach(problem -> System.out.println("  " + problem));
                return 1;
            }
            if (matched || System.nanoTime() >= deadline) {
                System.out.println((matched ? "MATCH: " : "MISMATCH: ") + outcome);
                if (comparison != null) {
                    comparison.problems().forEach(problem -> System.out.println("  " + problem));
                }
                return matched ? 0 : 1;
            }
            System.out.println("waiting: " + outcome);
            Thread.sleep(poll.toMillis()); // pacing between checks of an external system, not a test wait
        }
    }
}
