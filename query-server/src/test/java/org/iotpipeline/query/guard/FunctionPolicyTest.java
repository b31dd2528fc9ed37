package org.iotpipeline.query.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry$;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The function allow-list against the Spark on the class path. */
class FunctionPolicyTest {

    private final FunctionPolicy policy = FunctionPolicy.load();

    @Test
    void everyBuiltInFunctionIsEitherAllowedOrDenied() {
        Set<String> unclassified = new TreeSet<>();
        for (FunctionIdentifier id : CollectionConverters.asJava(FunctionRegistry$.MODULE$.builtin().listFunction())) {
            String name = id.funcName();
            if (!policy.allowed().contains(name) && !FunctionPolicy.denied().contains(name)) {
                unclassified.add(name);
            }
        }
        assertThat(unclassified).as("functions of this Spark version that nobody reviewed: add each to"
                + " allowed-functions.txt or deny it in FunctionPolicy").isEmpty();
    }

    @Test
    void noFunctionIsBothAllowedAndDenied() {
        assertThat(policy.allowed()).doesNotContainAnyElementsOf(FunctionPolicy.denied());
    }

    @Test
    void refusesByClassAndLeavesUnknownNamesToSpark() {
        assertThat(policy.refusal("xpath_string")).hasValueSatisfying(reason -> assertThat(reason).contains("files"));
        assertThat(policy.refusal("REFLECT")).hasValueSatisfying(reason -> assertThat(reason).contains("reflection"));
        assertThat(policy.refusal("current_user")).hasValueSatisfying(reason -> assertThat(reason).contains("host"));
        assertThat(policy.refusal("rlike")).hasValueSatisfying(reason -> assertThat(reason).contains("regular"));
        assertThat(policy.refusal("sum")).isEmpty();
        assertThat(policy.refusal("no_such_function")).isEmpty();
        assertThat(policy.deniedExpressionClasses()).contains(
                "org.apache.spark.sql.catalyst.expressions.CurrentUser",
                "org.apache.spark.sql.catalyst.expressions.InputFileName",
                "org.apache.spark.sql.catalyst.expressions.xml.XPathString");
    }
}
