package org.iotpipeline.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A service's OpenAPI document, served at {@code GET /openapi.yaml}. The one source is
 * {@code docs/openapi/<name>.yaml}; each service's build copies its document to
 * {@code openapi/<name>.yaml} on its class path (maven-resources-plugin, see the module's pom.xml).
 */
public final class OpenApiDocument {

    /** The path every service serves its document at. */
    public static final String PATH = "openapi.yaml";
    /** {@code application/yaml} (RFC 9512). */
    public static final String MEDIA_TYPE = "application/yaml";

    private OpenApiDocument() {
    }

    /**
     * The bytes of {@code openapi/<name>.yaml} from the class path.
     *
     * @throws IllegalStateException if the build did not put it there
     */
    public static byte[] load(String name) {
        Objects.requireNonNull(name, "name is null");
        String resource = "openapi/" + name + ".yaml";
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: the build copies it from docs/openapi/"
                        + name + ".yaml (build with Maven)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
