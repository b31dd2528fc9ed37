/**
 * The types every service of the pipeline shares: the {@link org.iotpipeline.model.Event} with its
 * JSON codec and validation ({@link org.iotpipeline.model.EventCodec}), the query-result types
 * ({@link org.iotpipeline.model.QueryResult}) and the error body
 * ({@link org.iotpipeline.model.Problem}).
 */
package org.iotpipeline.model;
