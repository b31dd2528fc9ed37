package org.iotpipeline.console.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One service's OpenAPI 3.1 document as a test oracle: every real answer a test gets is checked
 * against it — the operation (path and method) must be in the document, the status must be one of
 * the operation's responses, the Content-Type one of that response's media types, and a JSON body
 * (each line of NDJSON) must validate against the response's schema (JSON Schema 2020-12, the
 * document's own {@code $ref}s resolved). It remembers which operations were exercised, so a test can
 * fail when a documented operation was never called.
 */
public final class OpenApiContract {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final String name;
    private final JsonNode spec;
    private final String iri;
    private final SchemaRegistry registry;
    private final Set<String> exercised = new TreeSet<>();

    private OpenApiContract(String name, JsonNode spec) {
        this.name = name;
        this.spec = spec;
        this.iri = "https://iotpipeline.test/openapi/" + name + ".json";
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder.schemas(Map.of(iri, json)));
    }

    /** {@code docs/openapi/<name>.yaml} of the repository. */
    public static OpenApiContract load(Path repositoryRoot, String name) {
        Path file = document(repositoryRoot, name);
        try {
            JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (!spec.path("openapi").asText().startsWith("3.1")) {
                throw new IllegalArgumentException(file + " is not an OpenAPI 3.1 document");
            }
            List<String> empty = nullMembers(spec, "");
            if (!empty.isEmpty()) {
                // YAML reads "{description: a, b}" as a member "b" without a value: a broken description.
                throw new IllegalArgumentException(file + " has members without a value (an unquoted comma in a"
                        + " flow mapping?): " + empty);
            }
            return new OpenApiContract(name, spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** JSON pointers of the members whose value is null: no OpenAPI or JSON Schema keyword takes null. */
    static List<String> nullMembers(JsonNode node, String pointer) {
        List<String> found = new ArrayList<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(member -> {
                String child = pointer + "/" + escape(member.getKey());
                if (member.getValue().isNull()) {
                    found.add(child);
                }
                found.addAll(nullMembers(member.getValue(), child));
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                found.addAll(nullMembers(node.get(i), pointer + "/" + i));
            }
        }
        return found;
    }

    public static Path document(Path repositoryRoot, String name) {
        return repositoryRoot.resolve("docs/openapi/" + name + ".yaml");
    }

    /** Checks one answer (see the class comment); throws AssertionError naming what does not match. */
    public void check(HttpResponse<String> response) {
        String method = response.request().method().toLowerCase(Locale.ROOT);
        String path = response.request().uri().getRawPath();
        String template = template(path);
        if (template == null) {
            fail(method.toUpperCase(Locale.ROOT) + " " + path + ": no such path in the document");
        }
        String operationPointer = "/paths/" + escape(template) + "/" + method;
        JsonNode operation = spec.at(operationPointer);
        if (operation.isMissingNode()) {
            fail(method.toUpperCase(Locale.ROOT) + " " + template + ": the document has no such operation");
        }
        String label = method.toUpperCase(Locale.ROOT) + " " + template + " " + response.statusCode();
        String status = String.valueOf(response.statusCode());
        String responsePointer = operationPointer + "/responses/" + status;
        if (spec.at(responsePointer).isMissingNode()) {
            responsePointer = operationPointer + "/responses/default";
            if (spec.at(responsePointer).isMissingNode()) {
                fail(label + ": status " + status + " is not documented (" + fieldNames(operation.path("responses"))
                        + " are); body: " + abbreviate(response.body()));
            }
        }
        responsePointer = followRef(responsePointer);
        JsonNode content = spec.at(responsePointer + "/content");
        String mediaType = response.headers().firstValue("Content-Type").map(OpenApiContract::mediaType).orElse("");
        if (content.isMissingNode() || content.isEmpty()) {
            if (!response.body().isEmpty()) {
                fail(label + ": the document says no body, got " + mediaType);
            }
        } else {
            if (!content.has(mediaType)) {
                fail(label + ": Content-Type " + mediaType + " is not one of " + fieldNames(content));
            }
            String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
            if (!spec.at(schemaPointer).isMissingNode()) {
                validateBody(label, mediaType, schemaPointer, response.body());
            }
        }
        exercised.add(method.toUpperCase(Locale.ROOT) + " " + template);
    }

    /** The documented operations that no checked answer belonged to. */
    public List<String> notExercised() {
        List<String> missing = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (METHODS.contains(method)) {
                    String operation = method.toUpperCase(Locale.ROOT) + " " + path.getKey();
                    if (!exercised.contains(operation)) {
                        missing.add(operation);
                    }
                }
            }
        }
        return missing;
    }

    public String name() {
        return name;
    }

    private void validateBody(String label, String mediaType, String schemaPointer, String body) {
        boolean json = mediaType.endsWith("json") && !mediaType.equals("application/x-ndjson");
        boolean ndjson = mediaType.equals("application/x-ndjson");
        if (!json && !ndjson) {
            return;
        }
        Schema schema = registry.getSchema(SchemaLocation.of(iri + "#" + schemaPointer));
        List<String> documents = ndjson ? body.lines().filter(line -> !line.isBlank()).toList() : List.of(body);
        for (String document : documents) {
            JsonNode node;
            try {
                node = new ObjectMapper().readTree(document);
            } catch (IOException e) {
                throw new AssertionError(name + ": " + label + ": the body is not JSON: " + abbreviate(document), e);
            }
            List<Error> errors = schema.validate(node);
            if (!errors.isEmpty()) {
                fail(label + ": the body does not match " + schemaPointer + ": " + errors + "; body: " + abbreviate(document));
            }
        }
    }

    /** The document's path template for a concrete path; an exact path wins over a template. */
    private String template(String path) {
        String match = null;
        for (Iterator<String> templates = spec.path("paths").fieldNames(); templates.hasNext(); ) {
            String template = templates.next();
            if (template.equals(path)) {
                return template;
            }
            String regex = Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
            if (match == null && Pattern.matches(regex, path)) {
                match = template;
            }
        }
        return match;
    }

    private String followRef(String pointer) {
        String current = pointer;
        for (int hops = 0; hops < 10; hops++) {
            JsonNode ref = spec.at(current + "/$ref");
            if (ref.isMissingNode()) {
                return current;
            }
            String target = ref.asText();
            if (!target.startsWith("#")) {
                fail("only local $refs are supported, got " + target);
            }
            current = target.substring(1);
        }
        throw new AssertionError(name + ": $ref loop at " + pointer);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    private void fail(String message) {
        throw new AssertionError(name + ".yaml: " + message);
    }

    /** The repository root the tests run in (console-tests' parent; set by the POM). */
    public static Path repositoryRoot() {
        String configured = System.getProperty("console.repository-root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        if (!Files.isDirectory(root.resolve("docs/openapi"))) {
            throw new IllegalStateException("no docs/openapi under " + root.toAbsolutePath());
        }
        return root.normalize();
    }
}
