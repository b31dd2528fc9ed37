package org.iotpipeline.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceRangesTest {

    @Test
    void containsExactlyItsIdsAndRanges() {
        DeviceRanges ranges = DeviceRanges.parse(" 200-299, 5 ,0-3,150");

        assertThat(ranges.toString()).isEqualTo("0-3,5,150,200-299");
        assertThat(ranges.contains(0)).isTrue();
        assertThat(ranges.contains(3)).isTrue();
        assertThat(ranges.contains(4)).isFalse();
        assertThat(ranges.contains(5)).isTrue();
        assertThat(ranges.contains(149)).isFalse();
        assertThat(ranges.contains(150)).isTrue();
        assertThat(ranges.contains(299)).isTrue();
        assertThat(ranges.contains(300)).isFalse();
        assertThat(ranges.contains(Integer.MAX_VALUE)).isFalse();
    }

    @Test
    void overlappingAndAdjacentRangesMerge() {
        assertThat(DeviceRanges.parse("10-20,15-30,31,5-9").toString()).isEqualTo("5-31");
        assertThat(DeviceRanges.parse("0-2147483647")).isEqualTo(DeviceRanges.ALL);
    }

    @Test
    void starIsEveryDevice() {
        assertThat(DeviceRanges.parse("*").contains(Integer.MAX_VALUE)).isTrue();
        assertThat(DeviceRanges.ALL.toString()).isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a", "1,", "5-3", "-1", "1-2-3", "2147483648", "１２", "1.5", "1 2"})
    void refusesWhatIsNotAnIdOrRange(String text) {
        assertThatThrownBy(() -> DeviceRanges.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device ids");
    }
}
