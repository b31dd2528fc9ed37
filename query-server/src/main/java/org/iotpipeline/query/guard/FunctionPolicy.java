package org.iotpipeline.query.guard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry$;
import org.apache.spark.sql.catalyst.analysis.SimpleFunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Which built-in functions a query may call: an <b>allow-list</b> ({@code allowed-functions.txt},
 * derived from Spark's {@code FunctionRegistry}) plus the denied ones with the reason a client is
 * told. A function Spark adds in a later version is refused until someone reviews it (and
 * {@code FunctionPolicyTest} fails until then).
 *
 * <p>Denied, by class: calling Java by reflection; reading files or URLs named in SQL (XML with
 * XSD paths and external DTDs, Avro schema URLs, Protobuf descriptor files); host details (the OS
 * user, file paths of the store); regular expressions (Java's engine cannot be interrupted, so one
 * backtracking pattern holds a core beyond any timeout).
 */
public final class FunctionPolicy {

    private static final String REFLECTION = "it calls Java methods by reflection";
    private static final String FILES = "it can read files or URLs named in SQL";
    private static final String HOST = "it shows details of the server host";
    private static final String REGEX = "regular expressions are not evaluated by this server (Java's regex engine cannot"
            + " be interrupted, so one backtracking pattern would hold a core beyond any timeout); use LIKE with at most"
            + " two '%', or contains/startswith/endswith/instr";

    /** Denied built-in function names and why. */
    private static final Map<String, String> DENIED;

    static {
        Map<String, String> denied = new LinkedHashMap<>();
        for (String name : new String[] {"reflect", "java_method", "try_reflect"}) {
            denied.put(name, REFLECTION);
        }
        for (String name : new String[] {"from_avro", "to_avro", "schema_of_avro", "from_protobuf", "to_protobuf",
            "from_xml", "schema_of_xml", "to_xml", "xpath", "xpath_boolean", "xpath_double", "xpath_float", "xpath_int",
            "xpath_long", "xpath_number", "xpath_short", "xpath_string"}) {
            denied.put(name, FILES);
        }
        for (String name : new String[] {"input_file_name", "input_file_block_start", "input_file_block_length",
            "current_user", "user", "session_user"}) {
            denied.put(name, HOST);
        }
        for (String name : new String[] {"rlike", "regexp", "regexp_like", "regexp_extract", "regexp_extract_all",
            "regexp_replace", "regexp_count", "regexp_instr", "regexp_substr"}) {
            denied.put(name, REGEX);
        }
        DENIED = Map.copyOf(denied);
    }

    private final Set<String> allowed;
    private final Set<String> builtin;
    private final Set<String> deniedClasses;

    private FunctionPolicy(Set<String> allowed, Set<String> builtin, Set<String> deniedClasses) {
        this.allowed = Set.copyOf(allowed);
        this.builtin = Set.copyOf(builtin);
        this.deniedClasses = Set.copyOf(deniedClasses);
    }

    /** The policy of {@code allowed-functions.txt} over the running Spark's built-in functions. */
    public static FunctionPolicy load() {
        Set<String> allowed = readAllowList();
        SimpleFunctionRegistry registry = FunctionRegistry$.MODULE$.builtin();
        Set<String> builtin = new HashSet<>();
        Set<String> deniedClasses = new HashSet<>();
        Set<String> allowedClasses = new HashSet<>();
        for (FunctionIdentifier id : CollectionConverters.asJava(registry.listFunction())) {
            String name = id.funcName().toLowerCase(Locale.ROOT);
            builtin.add(name);
            scala.Option<ExpressionInfo> info = registry.lookupFunction(id);
            if (info.isDefined() && info.get().getClassName() != null) {
                (DENIED.containsKey(name) ? deniedClasses : allowedClasses).add(info.get().getClassName());
            }
        }
        // A class that also backs an allowed function is checked by name only.
        deniedClasses.removeAll(allowedClasses);
        return new FunctionPolicy(allowed, builtin, deniedClasses);
    }

    /**
     * Why a call of {@code name} is refused, or empty when it may run. Names Spark does not know
     * are left to Spark, which answers them as unresolved (400).
     */
    public Optional<String> refusal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (DENIED.containsKey(lower)) {
            return Optional.of(DENIED.get(lower));
        }
        if (builtin.contains(lower) && !allowed.contains(lower)) {
            return Optional.of("it is not on the server's allow-list of functions");
        }
        return Optional.empty();
    }

    /** Expression classes of denied functions, for the check of the analyzed plan. */
    public Set<String> deniedExpressionClasses() {
        return deniedClasses;
    }

    /** The allow-list as loaded. */
    public Set<String> allowed() {
        return allowed;
    }

    /** The denied names. */
    public static Set<String> denied() {
        return new TreeSet<>(DENIED.keySet());
    }

    private static Set<String> readAllowList() {
        Set<String> names = new HashSet<>();
        try (InputStream in = FunctionPolicy.class.getResourceAsStream("allowed-functions.txt")) {
            if (in == null) {
                throw new IllegalStateException("allowed-functions.txt is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read allowed-functions.txt", e);
        }
        return names;
    }
}
