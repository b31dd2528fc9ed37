package org.iotpipeline.gateway.http;

import akka.actor.ActorSystem;
import akka.http.javadsl.server.RouteResult;
import akka.http.javadsl.testkit.RouteTest;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.stream.Materializer;
import akka.stream.SystemMaterializer;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;

/**
 * akka-http's route testkit ({@link RouteTest}: in-process requests, no sockets) for JUnit 5: the
 * testkit ships only a JUnit 4 base class, so this one supplies the actor system per test class and
 * routes the testkit's assertions to JUnit 5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JUnit5RouteTest extends RouteTest {

    private ActorSystem system;

    @BeforeAll
    void startActorSystem() {
        system = ActorSystem.create(getClass().getSimpleName(),
                ConfigFactory.parseString("akka.loglevel = WARNING").withFallback(ConfigFactory.load()));
    }

    @AfterAll
    void stopActorSystem() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public ActorSystem system() {
        return system;
    }

    @Override
    public Materializer materializer() {
        return SystemMaterializer.get(system).materializer();
    }

    @Override
    public FiniteDuration awaitDuration() {
        return FiniteDuration.apply(10, TimeUnit.SECONDS);
    }

    @Override
    public TestRouteResult createTestRouteResultAsync(akka.http.javadsl.model.HttpRequest request,
                                                      Future<RouteResult> result) {
        return new TestRouteResult(result, awaitDuration(), system.dispatcher(), materializer()) {
            @Override
            public void fail(String message) {
                Assertions.fail(message);
            }

            @Override
            public void assertEquals(Object expected, Object actual, String message) {
                Assertions.assertEquals(expected, actual, message);
            }

            @Override
            public void assertEquals(int expected, int actual, String message) {
                Assertions.assertEquals(expected, actual, message);
            }

            @Override
            public void assertTrue(boolean condition, String message) {
                Assertions.assertTrue(condition, message);
            }
        };
    }
}
