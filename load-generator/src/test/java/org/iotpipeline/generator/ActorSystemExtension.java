package org.iotpipeline.generator;

import akka.actor.ActorSystem;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One ActorSystem per test class, created before its first test and terminated (and waited for)
 * after its last. Register it as a static field.
 */
final class ActorSystemExtension implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private ActorSystem system;

    ActorSystemExtension(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        system = ActorSystem.create(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
            system = null;
        }
    }

    ActorSystem system() {
        if (system == null) {
            throw new IllegalStateException("the ActorSystem exists only while the class's tests run; register the extension as a static field");
        }
        return system;
    }
}
