package org.iotpipeline.query.execution;

import java.util.Iterator;
import java.util.List;
import org.iotpipeline.model.ResultColumn;

/**
 * The rows of a streamed query, read from Spark one partition at a time as the consumer pulls
 * ({@code Dataset.toLocalIterator()}), never collected whole on the driver.
 *
 * <p>{@link #rows()} returns JSON-ready row values (see
 * {@link org.iotpipeline.query.json.SparkJsonConverter}). It blocks while Spark computes the next
 * partition, so pull it on a thread that may block. When the query fails, is cancelled or times
 * out, {@code hasNext()} throws a {@link QueryException}. {@link #close()} must be called when
 * the consumer is done or gone: it cancels Spark jobs still running and frees the query's slot.
 */
public interface RowStream extends AutoCloseable {

    String queryId();

    List<ResultColumn> columns();

    Iterator<Object> rows();

    /** Rows handed out so far. */
    long rowCount();

    @Override
    void close();
}
