package dev.creditline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's {@code /metrics} (Prometheus's text format) on its management listener, summed over labels, and per
 * single label: {@code jvm_memory_used_bytes{area="heap"}} sums that name's samples with that label.
 */
final class Prometheus {
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A scrape: the value of every sample name, summed over its label sets; empty when the scrape failed. */
    record Scrape(Map<String, Double> values) {
        /** The mean of a histogram or summary between two scrapes ({@code _sum} over {@code _count}). */
        Mean meanSince(Scrape before, String name) {
            Double count = values.get(name + "_count");
            Double sum = values.get(name + "_sum");
            Double countBefore = before.values.get(name + "_count");
            Double sumBefore = before.values.get(name + "_sum");
            if (count == null || sum == null || countBefore == null || sumBefore == null) {
                return null;
            }
            return new Mean(count - countBefore, sum - sumBefore);
        }
    }

    /** Observations between two scrapes and their total. */
    record Mean(double count, double sum) {
        double mean() {
            return sum / count;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI metrics;

    Prometheus(URI managementUrl) {
        this.metrics = managementUrl.resolve("/metrics");
    }

    /** Reads the metrics now; a failed scrape only costs the figures that come from it. */
    Scrape scrape() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.out.println("GET " + metrics + " answered " + response.statusCode());
                return new Scrape(Map.of());
            }
            return new Scrape(parse(response.body()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.out.println("GET " + metrics + " failed: " + e);
            return new Scrape(Map.of());
        }
    }

    static Map<String, Double> parse(String text) {
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int labels = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            String rest;
            if (labels >= 0 && (space < 0 || labels < space)) {
                // Label values may hold spaces; the value follows the closing brace.
                name = line.substring(0, labels);
                rest = line.substring(line.lastIndexOf('}') + 1);
            } else if (space > 0) {
                name = line.substring(0, space);
                rest = line.substring(space);
            } else {
                continue;
            }
            String[] fields = rest.strip().split("\\s+");
            double value;
            try {
                value = Double.parseDouble(fields[0]);
            } catch (NumberFormatException e) {
                continue;  // Prometheus's +Inf and -Inf: no figure read here needs them.
            }
            values.merge(name, value, Double::sum);
            if (labels >= 0 && (space < 0 || labels < space)) {
                Matcher label = LABEL.matcher(line.substring(labels, line.lastIndexOf('}')));
                while (label.find()) {
                    values.merge(name + "{" + label.group(1) + "=\"" + label.group(2) + "\"}", value, Double::sum);
                }
            }
        }
        return values;
    }
}
