package org.iotpipeline.generator.ledger;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.iotpipeline.generator.report.Counts;

/**
 * Writes the ledger file:
 * <pre>{"windowMinutes":5,"generated":N,"acknowledged":A,"rejected":R,"failed":F,"duplicatesSent":D,
 *  "windows":[{"deviceId":17,"metricId":3,"windowStart":1764000000000,"count":12,"sum":257.25}, ...]}</pre>
 *
 * <p>Guarantee: the file appears atomically, complete or not at all: it is written to a temporary
 * file in the same directory and renamed over the target.
 */
public final class LedgerFile {

    private static final JsonFactory JSON = new JsonFactory();

    private LedgerFile() {
    }

    public static void write(Path target, long windowMinutes, Counts counts, List<LedgerWindow> windows) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp");
        try {
            try (JsonGenerator json = JSON.createGenerator(temporary.toFile(), JsonEncoding.UTF8)) {
                json.writeStartObject();
                json.writeNumberField("windowMinutes", windowMinutes);
                json.writeNumberField("generated", counts.generated());
                json.writeNumberField("acknowledged", counts.acknowledged());
                json.writeNumberField("rejected", counts.rejected());
                json.writeNumberField("failed", counts.failed());
                json.writeNumberField("duplicatesSent", counts.duplicatesSent());
                json.writeArrayFieldStart("windows");
                for (LedgerWindow window : windows) {
                    json.writeStartObject();
                    json.writeNumberField("deviceId", window.deviceId());
                    json.writeNumberField("metricId", window.metricId());
                    json.writeNumberField("windowStart", window.windowStart());
                    json.writeNumberField("count", window.count());
                    json.writeNumberField("sum", window.sum());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
