package org.iotpipeline.etl.admin;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.iotpipeline.etl.progress.PipelineStatus;

/** The body of {@code GET /status}: the streaming pipeline's fields, plus {@code compaction}. */
record EtlStatus(@JsonUnwrapped PipelineStatus pipeline, CompactionStatus compaction) {
}
