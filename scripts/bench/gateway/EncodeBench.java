// Micro-benchmark of the gateway's record encoding: EventCodec.encode (CanonicalEventWriter)
// against a Jackson generator per event (the previous implementation, same output), 3 M events per
// round, 5 rounds; the first rounds are JIT warm-up. Run from the repository root after a build:
//   java -cp "common-model/target/classes:event-gateway/target/lib/*" scripts/bench/gateway/EncodeBench.java
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;

public class EncodeBench {
    private static final int EVENTS = 10_000;
    private static final int REPEATS = 300;

    public static void main(String[] args) throws IOException {
        EventCodec codec = EventCodec.withDefaults();
        JsonFactory factory = new JsonFactoryBuilder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
        Random random = new Random(1);
        Event[] events = new Event[EVENTS];
        for (int i = 0; i < events.length; i++) {
            // Values like the generator's: a few digits after the point.
            events[i] = new Event(random.nextInt(10_000), random.nextInt(5), 1_764_000_000_000L + i,
                    Math.round(random.nextGaussian() * 1e4) / 100.0);
        }
        for (int round = 1; round <= 5; round++) {
            long bytes = 0;
            long start = System.nanoTime();
            for (int k = 0; k < REPEATS; k++) {
                for (Event event : events) {
                    bytes += withGenerator(factory, event).length;
                }
            }
            long middle = System.nanoTime();
            for (int k = 0; k < REPEATS; k++) {
                for (Event event : events) {
                    bytes -= codec.encode(event).length;
                }
            }
            long end = System.nanoTime();
            double n = (double) EVENTS * REPEATS;
            System.out.printf("round %d: Jackson generator per event %.0f ns/event, EventCodec.encode %.0f ns/event%s%n",
                    round, (middle - start) / n, (end - middle) / n, bytes == 0 ? "" : " (OUTPUT LENGTHS DIFFER)");
        }
    }

    private static byte[] withGenerator(JsonFactory factory, Event event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(80);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeNumberField("deviceId", event.deviceId());
            generator.writeNumberField("metricId", event.metricId());
            generator.writeNumberField("timestamp", event.timestamp());
            generator.writeNumberField("value", event.value());
            generator.writeEndObject();
        }
        return out.toByteArray();
    }
}
