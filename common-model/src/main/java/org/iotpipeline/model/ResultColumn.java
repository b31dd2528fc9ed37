package org.iotpipeline.model;

import java.util.Objects;

/**
 * One column of a query result.
 *
 * @param name the column name as the query produced it
 * @param type the engine's type in SQL notation, e.g. {@code bigint}, {@code timestamp},
 *             {@code array<struct<a:int,b:string>>}
 */
public record ResultColumn(String name, String type) {

    public ResultColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
