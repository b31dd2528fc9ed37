package org.iotpipeline.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClasspathSmokeIT {
    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void sparkReadsTheBroker() throws Exception {
        kafka.broker().createTopic("t", 1);
        try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                java.util.Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("t", "k", "v")).get();
        }
        SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<Row> rows = spark.read().format("kafka").option("kafka.bootstrap.servers", kafka.bootstrapServers())
                    .option("subscribe", "t").load().selectExpr("CAST(value AS STRING)").collectAsList();
            assertThat(rows).hasSize(1);
            org.slf4j.LoggerFactory.getLogger(getClass()).info("SLF4J provider: {}",
                    org.slf4j.LoggerFactory.getILoggerFactory().getClass());
        } finally {
            spark.stop();
        }
    }
}
