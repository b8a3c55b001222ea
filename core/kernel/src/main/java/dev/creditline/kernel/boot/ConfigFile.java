package dev.creditline.kernel.boot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.ledger.ConsumptionOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The shape of {@code creditline.yaml}: a record per section, a component per setting. Jackson binds the file to it
 * and refuses a key it does not know, so a typo is an error naming its path instead of a silent default. A missing
 * setting is null here; {@link ConfigLoader} puts in the default and checks the ranges.
 */
record ConfigFile(Http http, Database database, Admin admin, Ledger ledger, Secrets secrets, Metrics metrics,
                  Management management, Plugins plugins, Map<String, Studio> studios) {

    record Http(Integer port, String host, Integer instances, Integer bodyLimit, Duration apiKeyCacheTtl,
                String publicUrl, String secureCookies, Integer failedAuthPerClient,
                Duration idleTimeout, Duration headerReadTimeout, Duration bodyReadTimeout, Integer maxConnections,
                Integer maxConnectionsPerAddress, Boolean h2c, List<String> trustedProxies) {
    }

    record Database(String url, Integer poolSize, Integer writeLanes) {
    }

    record Admin(String token) {
    }

    record Ledger(Duration expirySweepInterval, Duration idempotencyKeyRetention, Integer expiryWarningDays) {
    }

    record Secrets(String key) {
    }

    record Metrics(Duration refreshInterval) {
    }

    record Management(String host, Integer port, String token) {
    }

    record Plugins(List<String> directories, List<String> start, Map<String, PluginChoice> defaults,
                   Duration callTimeout, Map<String, ObjectNode> serverSettings) {
    }

    record PluginChoice(Boolean enabled, ObjectNode settings) {
    }

    record Studio(ConsumptionOrder consumptionOrder, Map<String, PluginChoice> plugins, Integer expiryWarningDays) {
    }
}
