package org.iotpipeline.query.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementShapeTest {

    @Test
    void measuresLengthAndTheDeepestNestingOfParenthesesAndBrackets() {
        assertThat(StatementShape.of("SELECT 1")).isEqualTo(new StatementShape(8, 0));
        assertThat(StatementShape.of("SELECT ((1) + (2)), array(1)[0]").nesting()).isEqualTo(2);
        assertThat(StatementShape.of("SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000)).nesting()).isEqualTo(5000);
        assertThat(StatementShape.of("SELECT " + "[".repeat(7)).nesting()).isEqualTo(7);
    }

    @Test
    void skipsStringsQuotedNamesAndComments() {
        assertThat(StatementShape.of("SELECT '((((', \"((\", `((`, 'it\\'s ((' -- ((((\n").nesting()).isZero();
        assertThat(StatementShape.of("SELECT /* (( /* nested (( */ (( */ (1)").nesting()).isEqualTo(1);
        assertThat(StatementShape.of("SELECT `a``((` , ((1))").nesting()).isEqualTo(2);
    }

    @Test
    void anUnterminatedQuoteOrCommentEndsTheScan() {
        assertThat(StatementShape.of("SELECT (( 'abc").nesting()).isEqualTo(2);
        assertThat(StatementShape.of("SELECT /* ((((").nesting()).isZero();
    }
}
