package org.iotpipeline.query.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The samples of a Prometheus text exposition (format 0.0.4), as the services' {@code /metrics}
 * write it: {@code name{label="value",...} 1.5}. Comments, blank lines and timestamps are skipped;
 * a line that does not parse is skipped too (one odd meter must not hide the others).
 */
public final class PrometheusText {

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            Objects.requireNonNull(name, "name is null");
            labels = Map.copyOf(labels);
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    public static PrometheusText parse(String text) {
        Objects.requireNonNull(text, "text is null");
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Sample sample = parseLine(trimmed);
            if (sample != null) {
                samples.add(sample);
            }
        }
        return new PrometheusText(samples);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The sum of every sample named {@code name} (over all label sets); empty if there is none. */
    public OptionalDouble sum(String name) {
        return sum(name, Map.of());
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}; empty if there is none. */
    public OptionalDouble sum(String name, Map<String, String> labels) {
        boolean found = false;
        double total = 0;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet())) {
                found = true;
                total += sample.value();
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** {@code name{a="x",b="y\"z"} value [timestamp]}, or null when the line is not a sample. */
    private static Sample parseLine(String line) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = parseLabels(line, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        Double value = parseValue(rest[0]);
        return value == null ? null : new Sample(name, labels, value);
    }

    /** Reads labels after '{' up to and including '}'; returns the index after it, or -1. */
    private static int parseLabels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            boolean closed = false;
            while (j < line.length()) {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char escaped = line.charAt(j + 1);
                    value.append(escaped == 'n' ? '\n' : escaped);
                    j += 2;
                } else if (v == '"') {
                    closed = true;
                    j++;
                    break;
                } else {
                    value.append(v);
                    j++;
                }
            }
            if (!closed) {
                return -1;
            }
            labels.put(key, value.toString());
            i = j;
        }
        return -1;
    }

    private static Double parseValue(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
