package org.iotpipeline.generator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.iotpipeline.model.Event;
import org.junit.jupiter.api.Test;

class FleetTest {

    private final ValueModel model = new ValueModel(42, Duration.ofHours(1), 0.5, 16);

    @Test
    void oneTickIsEveryDevicesEveryMetricAtThatTimestamp() {
        Fleet fleet = new Fleet(100, 3, 2, model);
        List<Event> events = new ArrayList<>();
        fleet.eventsAt(5000).forEach(events::add);
        assertThat(events).extracting(e -> e.deviceId() + "/" + e.metricId())
                .containsExactly("100/0", "100/1", "101/0", "101/1", "102/0", "102/1");
        assertThat(events).allMatch(e -> e.timestamp() == 5000);
        assertThat(events).allMatch(e -> e.value() == model.valueAt(e.deviceId(), e.metricId(), 5000));
        assertThat(fleet.eventsPerTick()).isEqualTo(6);
    }

    @Test
    void theIterableCanBeIteratedAgainWithTheSameResult() {
        Fleet fleet = new Fleet(0, 4, 3, model);
        Iterable<Event> tick = fleet.eventsAt(1234);
        List<Event> first = new ArrayList<>();
        tick.forEach(first::add);
        List<Event> second = new ArrayList<>();
        tick.forEach(second::add);
        assertThat(first).hasSize(12).isEqualTo(second);
    }

    @Test
    void deviceIdsMustStayInRange() {
        assertThatThrownBy(() -> new Fleet(Integer.MAX_VALUE, 2, 1, model)).hasMessageContaining("2147483647");
        assertThat(new Fleet(Integer.MAX_VALUE, 1, 1, model).eventsAt(0).iterator().next().deviceId())
                .isEqualTo(Integer.MAX_VALUE);
    }
}
