package org.iotpipeline.query.execution;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why a query did not answer rows, in the terms of the HTTP answer: its {@link ProblemType} (status,
 * type and title), the detail, and for Spark errors Spark's error class and SQLSTATE.
 */
public final class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProblemType problem;
    private final String errorClass;
    private final String sqlState;
    private final String queryId;
    private final Duration retryAfter;
    private final Integer line;
    private final Integer position;

    private QueryException(Builder builder, Throwable cause) {
        super(builder.detail, cause);
        this.problem = builder.problem;
        this.errorClass = builder.errorClass;
        this.sqlState = builder.sqlState;
        this.queryId = builder.queryId;
        this.retryAfter = builder.retryAfter;
        this.line = builder.line;
        this.position = builder.position;
    }

    public static Builder of(ProblemType problem, String detail) {
        return new Builder(problem, detail);
    }

    public ProblemType problem() {
        return problem;
    }

    public QueryOutcome outcome() {
        return problem.outcome();
    }

    /** Stable machine-readable kind, e.g. {@code invalid-sql}, {@code query-timeout}. */
    public String type() {
        return problem.type();
    }

    public String title() {
        return problem.title();
    }

    /** Spark's error class (condition), e.g. {@code TABLE_OR_VIEW_NOT_FOUND}. */
    public Optional<String> errorClass() {
        return Optional.ofNullable(errorClass);
    }

    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /** The id the query ran under, if it got that far. */
    public Optional<String> queryId() {
        return Optional.ofNullable(queryId);
    }

    /** For {@link QueryOutcome#BUSY}: when to try again. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Where in the statement Spark stopped: its line, 1-based (invalid SQL only, when Spark knows it). */
    public OptionalInt line() {
        return line == null ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** The character of {@link #line()} where Spark stopped, 0-based. */
    public OptionalInt position() {
        return position == null ? OptionalInt.empty() : OptionalInt.of(position);
    }

    /** Builds a {@link QueryException}. */
    public static final class Builder {
        private final ProblemType problem;
        private final String detail;
        private String errorClass;
        private String sqlState;
        private String queryId;
        private Duration retryAfter;
        private Integer line;
        private Integer position;

        private Builder(ProblemType problem, String detail) {
            this.problem = Objects.requireNonNull(problem, "problem is null");
            this.detail = detail;
        }

        public Builder sparkError(String errorClass, String sqlState) {
            this.errorClass = errorClass;
            this.sqlState = sqlState;
            return this;
        }

        public Builder queryId(String queryId) {
            this.queryId = queryId;
            return this;
        }

        /** @param line 1-based; @param position 0-based within the line */
        public Builder position(int line, int position) {
            this.line = line;
            this.position = position;
            return this;
        }

        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        public QueryException build() {
            return new QueryException(this, null);
        }

        public QueryException causedBy(Throwable cause) {
            return new QueryException(this, cause);
        }
    }
}
