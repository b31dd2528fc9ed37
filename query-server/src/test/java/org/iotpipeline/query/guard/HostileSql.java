package org.iotpipeline.query.guard;

import java.util.List;

/**
 * Statements the query server must refuse (403), each with a word the refusal must name: DDL, DML,
 * session changes, file access, reflection. {@link SqlGuardTest} checks them against the guard,
 * {@code QueryServerIT} against a running server.
 */
public final class HostileSql {

    private HostileSql() {
    }

    /** Statement, and a word the refusal must name. */
    public static final List<String[]> STATEMENTS = List.of(
            new String[] {"DROP VIEW measurements", "DropView"},
            new String[] {"CREATE OR REPLACE TEMP VIEW measurements AS SELECT 1 AS x", "CreateViewCommand"},
            new String[] {"CREATE TEMPORARY FUNCTION f AS 'org.example.Evil'", "CreateFunctionCommand"},
            new String[] {"CREATE TABLE t AS SELECT * FROM measurements", "CreateTableAsSelect"},
            new String[] {"INSERT INTO measurements SELECT * FROM measurements", "InsertIntoStatement"},
            new String[] {"INSERT OVERWRITE DIRECTORY '/tmp/out' SELECT 1", "InsertIntoDir"},
            new String[] {"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "InsertIntoStatement"},
            new String[] {"DELETE FROM measurements WHERE device_id = 1", "DeleteFromTable"},
            new String[] {"TRUNCATE TABLE measurements", "TruncateTable"},
            new String[] {"SET spark.sql.runSQLOnFiles=true", "SetCommand"},
            new String[] {"SET", "SetCommand"},
            new String[] {"RESET", "ResetCommand"},
            new String[] {"ADD JAR /tmp/evil.jar", "AddJarsCommand"},
            new String[] {"ADD FILE /etc/passwd", "AddFilesCommand"},
            new String[] {"CACHE TABLE measurements", "CacheTable"},
            new String[] {"UNCACHE TABLE measurements", "UncacheTable"},
            new String[] {"CLEAR CACHE", "ClearCacheCommand"},
            new String[] {"REFRESH TABLE measurements", "RefreshTable"},
            new String[] {"REFRESH '/tmp'", "RefreshResource"},
            new String[] {"USE other_db", "SetCatalogAndNamespace"},
            new String[] {"LOAD DATA LOCAL INPATH '/etc/passwd' INTO TABLE t", "LoadData"},
            new String[] {"ANALYZE TABLE measurements COMPUTE STATISTICS", "AnalyzeTable"},
            new String[] {"DECLARE v INT", "CreateVariable"},
            new String[] {"EXECUTE IMMEDIATE 'DROP VIEW measurements'", "UnresolvedExecuteImmediate"},
            new String[] {"BEGIN SELECT 1; END", "CompoundBody"},
            new String[] {"SELECT TRANSFORM(device_id) USING 'cat /etc/passwd' FROM measurements", "ScriptTransformation"},
            new String[] {"SELECT * FROM parquet.`/etc`", "SQL on files"},
            new String[] {"SELECT * FROM csv.`/etc/passwd`", "SQL on files"},
            new String[] {"SELECT * FROM json.`file:///etc/hosts`", "SQL on files"},
            new String[] {"SELECT * FROM text.`/etc/passwd`", "SQL on files"},
            new String[] {"SELECT * FROM binaryFile.`/etc`", "SQL on files"},
            new String[] {"SELECT * FROM `/etc/passwd`", "reading files directly"},
            new String[] {"SELECT * FROM IDENTIFIER('parquet.`/etc`')", "SQL on files"},
            new String[] {"DESCRIBE parquet.`/data/warehouse`", "SQL on files"},
            new String[] {"SELECT reflect('java.lang.System', 'exit', 0)", "reflect"},
            new String[] {"SELECT java_method('java.lang.Runtime', 'getRuntime')", "java_method"},
            new String[] {"SELECT try_reflect('java.lang.System', 'getenv', 'HOME')", "try_reflect"},
            new String[] {"SELECT device_id FROM measurements WHERE reflect('java.lang.Thread', 'sleep', 1L) IS NULL", "reflect"},
            new String[] {"SELECT (SELECT max(java_method('java.util.UUID', 'randomUUID')) FROM range(1))", "java_method"},
            new String[] {"SELECT * FROM range(3) LATERAL VIEW explode(array(reflect('a', 'b'))) t AS x", "reflect"},
            new String[] {"SELECT IDENTIFIER('ref' || 'lect')('java.lang.System', 'exit', 0)", "IDENTIFIER"},
            new String[] {"SELECT IDENTIFIER('java_method')('java.lang.System', 'exit', 0)", "java_method"},
            new String[] {"SELECT from_protobuf(X'00', 'M', '/etc/descriptor.desc')", "from_protobuf"},
            new String[] {"SELECT from_avro(X'00', '{}', map('avroSchemaUrl', 'file:///etc/x'))", "from_avro"},
            new String[] {"SELECT * FROM python_worker_logs()", "python_worker_logs"},
            new String[] {"EXPLAIN INSERT INTO t SELECT 1", "InsertIntoStatement"},
            new String[] {"EXPLAIN SELECT * FROM parquet.`/etc`", "SQL on files"},
            new String[] {"DESCRIBE QUERY SELECT reflect('a', 'b')", "reflect"},
            new String[] {"SELECT * FROM STREAM measurements", "NamedStreamingRelation"},
            new String[] {"CALL system.remove_orphans()", "Call"},
            // Files and URLs through XML: XSD paths, external DTDs (issue 13, item 5); the whole family.
            new String[] {"SELECT from_xml('<a>1</a>', 'a INT', map('rowValidationXSDPath', '/etc/passwd'))", "from_xml"},
            new String[] {"SELECT xpath_string('<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>', 'a')",
                "xpath_string"},
            new String[] {"SELECT xpath_int('<a>1</a>', 'a'), xpath('<a/>', 'a')", "xpath"},
            new String[] {"SELECT schema_of_xml('<a>1</a>')", "schema_of_xml"},
            new String[] {"SELECT to_xml(named_struct('a', 1))", "to_xml"},
            new String[] {"SELECT builtin.xpath_string('<a>x</a>', 'a')", "xpath_string"},
            new String[] {"SELECT system.builtin.from_xml('<a/>', 'a INT')", "from_xml"},
            new String[] {"SELECT IDENTIFIER('xpath_' || 'string')('<a/>', 'a')", "IDENTIFIER"},
            // Host details (item 6).
            new String[] {"SELECT current_user()", "current_user"},
            new String[] {"SELECT user(), session_user()", "user"},
            new String[] {"SELECT input_file_name() FROM measurements", "input_file_name"},
            new String[] {"SELECT input_file_block_start() FROM measurements", "input_file_block_start"},
            new String[] {"DESCRIBE NAMESPACE EXTENDED default", "DescribeNamespace"},
            new String[] {"DESCRIBE DATABASE default", "DescribeNamespace"},
            // Regular expressions, which Java cannot interrupt (item 3), and LIKE patterns that become them.
            new String[] {"SELECT 'aaa' RLIKE '(a+)+b'", "rlike"},
            new String[] {"SELECT 'aaa' REGEXP '(a+)+b'", "rlike"},
            new String[] {"SELECT regexp_like('aaa', '(a+)+b')", "regexp_like"},
            new String[] {"SELECT regexp_replace('aaa', '(a+)+b', 'x')", "regexp_replace"},
            new String[] {"SELECT regexp_extract_all('aaa', '(a+)+b', 0)", "regexp_extract_all"},
            new String[] {"SELECT split('aaa', '(a+)+b')", "regular expression"},
            new String[] {"SELECT split('aaa', CAST(device_id AS STRING)) FROM measurements", "constant string"},
            new String[] {"SELECT str_to_map('a:1', ',', '(a|b)*')", "regular expression"},
            new String[] {"SELECT parse_url('http://h/?a=1', 'QUERY', '(a+)+')", "regular expression"},
            new String[] {"SELECT repeat('a', 100000) LIKE '%a%a%b'", "wildcards"},
            new String[] {"SELECT 'abc' ILIKE '%a%b%c%'", "wildcards"},
            new String[] {"SELECT 'abc' LIKE ANY ('a%', '%a%b%c')", "wildcards"},
            new String[] {"SELECT like('abc', '%a%b%c')", "wildcards"},
            new String[] {"SELECT 'abc' LIKE concat('%', 'a')", "constant string"});
}
