package org.iotpipeline.etl.testkit;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.etl.EtlSpark;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local SparkSession an integration test class shares, built the way the service builds it
 * ({@link EtlSpark} from reference.conf plus {@link TestSettings}' overrides), started before the
 * class's first test and stopped after its last. Register it as a static field.
 */
public final class EtlSparkExtension implements BeforeAllCallback, AfterAllCallback {

    private SparkSession session;

    @Override
    public void beforeAll(ExtensionContext context) {
        // Only the spark section of the settings is used; Kafka and paths belong to each test.
        Path unusedDir = Path.of(System.getProperty("java.io.tmpdir"));
        session = EtlSpark.session(TestSettings.of("unused:9092", "unused", unusedDir).build().spark());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (session != null) {
            session.stop();
            session = null;
        }
    }

    public SparkSession session() {
        if (session == null) {
            throw new IllegalStateException("the SparkSession is started before the class's tests; register the extension as a static field");
        }
        return session;
    }
}
