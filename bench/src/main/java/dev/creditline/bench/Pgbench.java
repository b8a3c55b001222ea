package dev.creditline.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL's own benchmark (the TPC-B-like default script) against a database initialised by bench/run. */
final class Pgbench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final String host;
    private final int port;
    private final String user;
    private final String database;

    Pgbench(String host, int port, String user, String database) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.database = database;
    }

    /** Writes dirty pages out now, so that the next measured run does not pay for the last one's writes. */
    void checkpoint() {
        Shell.run("psql", "-h", host, "-p", String.valueOf(port), "-U", user, "-d", database, "-qc", "CHECKPOINT");
    }

    /** Transactions per second with {@code clients} connections over {@code seconds}. */
    double tps(int clients, int seconds) {
        String output = Shell.run("pgbench", "-h", host, "-p", String.valueOf(port), "-U", user, "-n",
                "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(clients, 2)),
                "-T", String.valueOf(seconds), database);
        Matcher m = TPS.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("pgbench gave no tps:\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }
}
