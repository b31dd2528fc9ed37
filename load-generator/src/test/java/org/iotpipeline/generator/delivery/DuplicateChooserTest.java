package org.iotpipeline.generator.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.iotpipeline.model.Event;
import org.junit.jupiter.api.Test;

class DuplicateChooserTest {

    private static List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            events.add(new Event(i % 100, i % 3, 1_764_000_000_000L + i, 1.0));
        }
        return events;
    }

    @Test
    void choosesAboutTheFractionTheSameWayEveryTime() {
        List<Event> chosen = new DuplicateChooser(42, 0.1).choose(events());
        assertThat(chosen.size()).isBetween(900, 1100);
        assertThat(new DuplicateChooser(42, 0.1).choose(events())).isEqualTo(chosen);
        assertThat(new DuplicateChooser(43, 0.1).choose(events())).isNotEqualTo(chosen);
    }

    @Test
    void zeroAndOneAreNoneAndAll() {
        assertThat(new DuplicateChooser(42, 0).choose(events())).isEmpty();
        assertThat(new DuplicateChooser(42, 0).isEnabled()).isFalse();
        assertThat(new DuplicateChooser(42, 1).choose(events())).hasSize(10_000);
    }
}
