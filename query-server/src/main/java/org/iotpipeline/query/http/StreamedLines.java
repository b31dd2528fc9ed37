package org.iotpipeline.query.http;

import akka.util.ByteString;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.iotpipeline.query.execution.QueryException;
import org.iotpipeline.query.execution.RowStream;

/**
 * The lines of a streamed answer, pulled from a {@link RowStream}: the header (CSV), one line per
 * row, and, when the query fails part-way, one error line. After the error line the iterator is
 * done and {@link #failure()} holds the cause, so the caller can abort the response.
 */
final class StreamedLines implements Iterator<ByteString> {

    private final Iterator<Object> rows;
    private final LineFormat format;
    private final Function<QueryException, com.fasterxml.jackson.databind.node.ObjectNode> problem;
    private ByteString pending;
    private boolean done;
    private volatile QueryException failure;

    StreamedLines(RowStream stream, LineFormat format,
                  Function<QueryException, com.fasterxml.jackson.databind.node.ObjectNode> problem) {
        this.rows = stream.rows();
        this.format = format;
        this.problem = problem;
        ByteString header = format.header(stream.columns());
        this.pending = header.isEmpty() ? null : header;
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (done) {
            return false;
        }
        try {
            if (rows.hasNext()) {
                pending = format.row(rows.next());
            } else {
                done = true;
            }
        } catch (QueryException e) {
            failure = e;
            pending = format.error(problem.apply(e));
            done = true;
        }
        return pending != null;
    }

    @Override
    public ByteString next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ByteString line = pending;
        pending = null;
        return line;
    }

    /** Why the stream ended early, if it did. */
    QueryException failure() {
        return failure;
    }
}
