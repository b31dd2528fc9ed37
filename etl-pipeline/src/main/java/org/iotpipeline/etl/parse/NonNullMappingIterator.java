package org.iotpipeline.etl.parse;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Maps a partition's rows one at a time and drops those the mapping turns into {@code null}.
 * Lazy with one element of look-ahead, as Spark's {@code mapPartitions} needs: a partition is
 * never held in memory.
 */
final class NonNullMappingIterator<T, R> implements Iterator<R> {

    private final Iterator<T> source;
    private final Function<T, R> mapping;
    private R next;

    NonNullMappingIterator(Iterator<T> source, Function<T, R> mapping) {
        this.source = source;
        this.mapping = mapping;
        this.next = advance();
    }

    private R advance() {
        while (source.hasNext()) {
            R mapped = mapping.apply(source.next());
            if (mapped != null) {
                return mapped;
            }
        }
        return null;
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public R next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        R current = next;
        next = advance();
        return current;
    }
}
