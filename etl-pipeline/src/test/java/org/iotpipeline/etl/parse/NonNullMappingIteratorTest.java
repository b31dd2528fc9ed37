package org.iotpipeline.etl.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NonNullMappingIteratorTest {

    @Test
    void mapsInOrderAndDropsWhatMapsToNull() {
        Iterator<Integer> numbers = List.of(1, 2, 3, 4, 5, 6).iterator();
        Iterator<String> odd = new NonNullMappingIterator<>(numbers, n -> n % 2 == 0 ? null : "n" + n);

        List<String> out = new ArrayList<>();
        odd.forEachRemaining(out::add);

        assertThat(out).containsExactly("n1", "n3", "n5");
        assertThatThrownBy(odd::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void readsOnlyOneMappedElementAhead() {
        List<Integer> consumed = new ArrayList<>();
        Iterator<Integer> source = IntStream.range(0, 1_000).peek(consumed::add).iterator();
        Iterator<Integer> mapped = new NonNullMappingIterator<>(source, n -> n);

        assertThat(mapped.next()).isZero();
        assertThat(consumed).containsExactly(0, 1);
    }

    @Test
    void anEmptyOrAllNullSourceHasNothing() {
        assertThat(new NonNullMappingIterator<>(List.<Integer>of().iterator(), n -> n).hasNext()).isFalse();
        assertThat(new NonNullMappingIterator<>(List.of(1, 2).iterator(), n -> null).hasNext()).isFalse();
    }
}
