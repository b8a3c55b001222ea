package dev.creditline.kernel.boot;

import dev.creditline.store.DatabaseUrl;
import java.time.Duration;

/**
 * The server's configuration, from {@code config/creditline.yaml} and the environment.
 *
 * @param httpPort               the HTTP port (0: any free port)
 * @param httpInstances          event-loop instances serving HTTP
 * @param bodyLimit              the largest request body accepted, in bytes
 * @param database               the ledger's database
 * @param poolSize               database connections
 * @param adminToken             the admin token, or null to generate one at first start
 * @param expirySweepInterval    how often the expiry sweep runs
 * @param idempotencyRetention   how long idempotency keys are remembered
 */
public record Config(int httpPort, int httpInstances, long bodyLimit, DatabaseUrl database, int poolSize,
                     String adminToken, Duration expirySweepInterval, Duration idempotencyRetention) {

    /** The defaults of a fresh install. */
    public static Config defaults() {
        return new Config(8080, 2, 64 * 1024, DatabaseUrl.parse(DatabaseUrl.DEFAULT), 16, null,
                Duration.ofSeconds(30), Duration.ofDays(7));
    }

    public Config withHttpPort(int port) {
        return new Config(port, httpInstances, bodyLimit, database, poolSize, adminToken, expirySweepInterval,
                idempotencyRetention);
    }

    public Config withHttpInstances(int instances) {
        return new Config(httpPort, instances, bodyLimit, database, poolSize, adminToken, expirySweepInterval,
                idempotencyRetention);
    }

    public Config withPoolSize(int size) {
        return new Config(httpPort, httpInstances, bodyLimit, database, size, adminToken, expirySweepInterval,
                idempotencyRetention);
    }

    public Config withDatabase(DatabaseUrl url) {
        return new Config(httpPort, httpInstances, bodyLimit, url, poolSize, adminToken, expirySweepInterval,
                idempotencyRetention);
    }

    public Config withAdminToken(String token) {
        return new Config(httpPort, httpInstances, bodyLimit, database, poolSize, token, expirySweepInterval,
                idempotencyRetention);
    }

    public Config withExpirySweepInterval(Duration interval) {
        return new Config(httpPort, httpInstances, bodyLimit, database, poolSize, adminToken, interval,
                idempotencyRetention);
    }
}
