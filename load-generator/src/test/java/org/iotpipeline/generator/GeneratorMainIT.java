package org.iotpipeline.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.iotpipeline.generator.RecordingGateway.Behaviour;
import org.iotpipeline.generator.report.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as users run it: flags, exit codes, and SIGTERM handling in a real child JVM. */
class GeneratorMainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final ActorSystemExtension actors = new ActorSystemExtension("generator-main-it");

    @TempDir
    Path temp;

    private static int execute(String... args) {
        return new CommandLine(new GeneratorMain()).execute(args);
    }

    @Test
    void exitCodesTellOkFromFailedFromBadConfiguration() {
        assertThat(execute("--devices", "0")).isEqualTo(RunSummary.EXIT_USAGE);
        assertThat(execute("-Dload-generator.backfill.speed=warp", "--backfill-start", "1h")).isEqualTo(RunSummary.EXIT_USAGE);
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll().unavailableFor(2))) {
            String[] common = {"--url", gateway.url(), "--backfill-start", "1h", "--count", "40",
                    "-Dload-generator.retry.max-attempts=2", "-Dload-generator.retry.initial-backoff=1ms"};
            // Devices 0 and 1 are served; device 2 never is.
            assertThat(execute(concat(common, "--devices", "2"))).isEqualTo(RunSummary.EXIT_OK);
            assertThat(execute(concat(common, "--devices", "4"))).isEqualTo(RunSummary.EXIT_FAILED_EVENTS);
        }
    }

    @Test
    void sigtermStopsGeneratingDrainsAndWritesSummaryAndLedger() throws Exception {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll())) {
            Path ledger = temp.resolve("ledger.json");
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = temp.resolve("output.txt");
            Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    GeneratorMain.class.getName(), "--url", gateway.url(), "--devices", "50", "--interval", "100ms",
                    "--ledger", ledger.toString(), "-Dload-generator.progress-interval=1s")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> gateway.persisted().size() >= 300);

                process.destroy(); // SIGTERM

                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited in time").isTrue();
                String text = Files.readString(log);
                assertThat(process.exitValue()).as(text).isEqualTo(143);
                assertThat(text).contains("READY:").contains("progress").contains("SUMMARY (stopped: shutdown requested")
                        .contains("adds up");
                JsonNode file = JSON.readTree(ledger.toFile());
                assertThat(file.get("acknowledged").asLong()).isEqualTo(gateway.persisted().size());
                assertThat(file.get("generated").asLong()).isEqualTo(file.get("acknowledged").asLong());
                long booked = 0;
                for (JsonNode window : file.get("windows")) {
                    booked += window.get("count").asLong();
                }
                assertThat(booked).isEqualTo(gateway.persisted().size());
                try (var files = Files.list(temp)) {
                    assertThat(files).as("no temporary ledger left behind").containsExactlyInAnyOrder(ledger, log);
                }
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(List.of(first).stream(), List.of(more).stream()).toArray(String[]::new);
    }
}
