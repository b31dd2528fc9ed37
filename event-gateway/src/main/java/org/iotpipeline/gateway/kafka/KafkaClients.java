package org.iotpipeline.gateway.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.iotpipeline.gateway.GatewaySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the gateway's Kafka clients from its settings. */
public final class KafkaClients {

    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

    private KafkaClients() {
    }

    /** The producer configs: the passthrough block, the bootstrap servers, byte-array serializers. */
    public static Map<String, Object> producerConfig(GatewaySettings.Kafka settings) {
        Map<String, Object> config = new HashMap<>(settings.producer());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /**
     * The admin configs (for the readiness check): the bootstrap servers and the producer's
     * connection settings (security.protocol, sasl.*, ssl.*, client.dns.lookup), so it reaches the
     * cluster the same way.
     */
    public static Map<String, Object> adminConfig(GatewaySettings.Kafka settings) {
        Map<String, Object> config = new HashMap<>();
        settings.producer().forEach((key, value) -> {
            boolean connection = key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")
                    || key.equals(AdminClientConfig.CLIENT_DNS_LOOKUP_CONFIG);
            if (connection && AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return config;
    }

    public static Producer<byte[], byte[]> createProducer(GatewaySettings.Kafka settings) {
        long deliveryTimeout = settings.producerMillis(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        if (deliveryTimeout >= settings.sendTimeout().toMillis()) {
            log.warn("{}.kafka.producer.delivery.timeout.ms ({}) is not below {}.kafka.send-timeout ({} ms): "
                            + "clients may get 503 for events the producer still writes later (duplicates on retry)",
                    GatewaySettings.ROOT, deliveryTimeout, GatewaySettings.ROOT, settings.sendTimeout().toMillis());
        }
        return new KafkaProducer<>(producerConfig(settings));
    }
}
