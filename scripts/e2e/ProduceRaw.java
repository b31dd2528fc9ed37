import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes raw records to a topic, bypassing the gateway's validation, as a misbehaving producer
 * would: the end-to-end test uses it to put malformed records in front of the ETL.
 * Run as a single-file program: java -cp "local-kafka/target/local-kafka.jar:local-kafka/target/lib/*" ProduceRaw.java BOOTSTRAP TOPIC KEY=VALUE...
 */
public class ProduceRaw {
    public static void main(String[] args) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", args[0], "acks", "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 2; i < args.length; i++) {
                String[] keyAndValue = args[i].split("=", 2);
                producer.send(new ProducerRecord<>(args[1], keyAndValue[0].getBytes(StandardCharsets.UTF_8),
                        keyAndValue[1].getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
        }
        System.out.println("wrote " + (args.length - 2) + " raw record(s) to " + args[1]);
    }
}
