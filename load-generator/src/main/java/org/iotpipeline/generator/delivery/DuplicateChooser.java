package org.iotpipeline.generator.delivery;

import java.util.List;
import org.iotpipeline.generator.fleet.Mixing;
import org.iotpipeline.model.Event;

/**
 * Picks the acknowledged events that are sent a second time, as a client whose acknowledgement was
 * lost would. The choice is a function of the seed and the event alone, so it is the same in
 * every run with the same seed.
 *
 * @param seed     the run's seed
 * @param fraction share of events chosen, in [0, 1]
 */
public record DuplicateChooser(long seed, double fraction) {

    /** Separates this use of the seed from the value model's. */
    private static final long PURPOSE = 0x6475706CL;

    public DuplicateChooser {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("duplicate fraction must be in [0, 1], got " + fraction);
        }
    }

    public boolean isEnabled() {
        return fraction > 0;
    }

    public boolean chooses(Event event) {
        return fraction > 0
                && Mixing.uniform(seed, PURPOSE, event.deviceId(), event.metricId(), event.timestamp()) < fraction;
    }

    /** The events of {@code events} to send again, in their order. */
    public List<Event> choose(List<Event> events) {
        return fraction == 0 ? List.of() : events.stream().filter(this::chooses).toList();
    }
}
