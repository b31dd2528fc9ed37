package org.iotpipeline.query;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads for parsing, planning and running clients' statements, with a stack deep enough for
 * every statement the guard admits.
 *
 * <p>Spark's parser recurses once per {@code AND}/{@code OR} of a chain on the calling thread, and
 * before the JIT has compiled it each level costs a few hundred bytes: a statement of 1,500
 * {@code AND}s overflowed the JVM's default 1 MB stack in CI, while the 64 KiB statement limit admits
 * about 6,000. The stack is reserved address space, committed only as deep as a statement goes.
 */
public final class QueryThreads {

    /** Stack of a query thread: room for a chain of {@code AND}s as long as the statement limit allows. */
    public static final long STACK_BYTES = 32L * 1024 * 1024;

    private QueryThreads() {
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, …, each with {@link #STACK_BYTES} of stack. */
    public static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(null, runnable, prefix + "-" + count.incrementAndGet(), STACK_BYTES);
            thread.setDaemon(true);
            return thread;
        };
    }
}
