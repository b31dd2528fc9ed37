package org.iotpipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HourPartitionTest {

    @Test
    void containsAnInstantInUtcWithoutZeroPadding() {
        HourPartition hour = HourPartition.containing(Instant.parse("2026-03-05T07:59:59.999Z"));
        assertThat(hour).isEqualTo(new HourPartition(2026, 3, 5, 7));
        assertThat(hour.relativePath()).isEqualTo("year=2026/month=3/day=5/hour=7");
        assertThat(hour.start()).isEqualTo(Instant.parse("2026-03-05T07:00:00Z"));
        assertThat(hour.end()).isEqualTo(Instant.parse("2026-03-05T08:00:00Z"));
    }

    @Test
    void parsesOnlyExactPartitionPaths() {
        assertThat(HourPartition.fromRelativePath("year=2026/month=11/day=29/hour=23"))
                .contains(new HourPartition(2026, 11, 29, 23));
        assertThat(HourPartition.fromRelativePath("year=2026/month=11/day=29")).isEmpty();
        assertThat(HourPartition.fromRelativePath("_batches/year=2026/month=11/day=29/hour=1")).isEmpty();
        assertThat(HourPartition.fromRelativePath("year=2026/month=13/day=1/hour=1")).isEmpty();
        assertThat(HourPartition.fromRelativePath("year=2026/month=2/day=30/hour=1")).isEmpty();
        assertThat(HourPartition.fromRelativePath("year=2026/month=2/day=3/hour=24")).isEmpty();
    }

    @Test
    void ordersByTime() {
        assertThat(new HourPartition(2026, 2, 1, 0)).isGreaterThan(new HourPartition(2026, 1, 31, 23));
        assertThat(new HourPartition(2026, 1, 1, 10)).isGreaterThan(new HourPartition(2026, 1, 1, 9));
    }

    @Test
    void refusesImpossibleHours() {
        assertThatThrownBy(() -> new HourPartition(2026, 4, 31, 0)).isInstanceOf(RuntimeException.class);
    }
}
