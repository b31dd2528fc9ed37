package org.iotpipeline.generator.delivery;

import java.util.Optional;

/**
 * One request of generated events and, if some of them were chosen for it, the second request
 * that re-sent those after they were acknowledged.
 *
 * @param original  what became of the generated events
 * @param duplicate the re-send of the chosen acknowledged events, if any
 */
public record BatchReport(Delivery original, Optional<Delivery> duplicate) {
}
