package org.iotpipeline.generator.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads a ledger file written by {@link LedgerFile}. */
public final class LedgerReader {

    /** The whole ledger file. */
    public record Contents(long windowMinutes, long generated, long acknowledged, long rejected, long failed,
                           long duplicatesSent, List<LedgerWindow> windows) {
        public Contents {
            windows = List.copyOf(windows);
        }
    }

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Contents read(Path file) throws IOException {
        try {
            return mapper.readValue(file.toFile(), Contents.class);
        } catch (IOException e) {
            throw new IOException("cannot read ledger " + file + ": " + e.getMessage(), e);
        }
    }
}
