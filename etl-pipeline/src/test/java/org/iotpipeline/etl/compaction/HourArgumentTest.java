package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iotpipeline.store.HourPartition;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HourArgumentTest {

    private final HourArgument argument = new HourArgument();

    @Test
    void acceptsTheShortFormAndThePartitionPath() {
        HourPartition hour = new HourPartition(2026, 11, 29, 3);
        assertThat(argument.convert("2026-11-29T03")).isEqualTo(hour);
        assertThat(argument.convert("year=2026/month=11/day=29/hour=3")).isEqualTo(hour);
        assertThat(HourArgument.format(hour)).isEqualTo("2026-11-29T03");
    }

    @Test
    void rejectsAnythingElseWithTheExpectedForm() {
        assertThatThrownBy(() -> argument.convert("2026-11-29")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("2026-11-29T03");
        assertThatThrownBy(() -> argument.convert("2026-11-29T24")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> argument.convert("year=2026/month=13/day=1/hour=0"))
                .isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
