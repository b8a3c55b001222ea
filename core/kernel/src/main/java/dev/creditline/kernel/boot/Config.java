package dev.creditline.kernel.boot;

import dev.creditline.kernel.http.TrustedProxies;
import dev.creditline.ledger.ConsumptionOrder;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.store.StudioContext;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's configuration, from {@code config/creditline.yaml} and the environment.
 *
 * @param httpPort             the HTTP port (0: any free port)
 * @param httpHost             the address the API listens on (0.0.0.0: every interface)
 * @param httpInstances        event-loop instances serving HTTP
 * @param bodyLimit            the largest request body accepted, in bytes
 * @param apiKeyCacheTtl       how long a node may answer from its memory for an API key (zero: never)
 * @param database             the ledger's database
 * @param poolSize             database connections
 * @param writeLanes           how many transactions each kind of ledger command runs at once (bookings and
 *                             cancellations together); the requests that arrive meanwhile batch into the next
 * @param adminToken           the admin token, or null to generate one at first start
 * @param expirySweepInterval  how often the expiry sweep runs
 * @param idempotencyRetention how long idempotency keys are remembered
 * @param plugins              which plugins run and what studios get by default
 * @param studios              per-studio settings, by studio id
 * @param metricsRefreshInterval how often the ledger's gauges are read from the database
 * @param expiryWarningDays    how many days before their credits expire members are warned, unless a studio says
 * @param publicUrl            the address people reach the server at, for links in emails (invitations, sign-in
 *                             links), without a trailing slash; null: {@code http://localhost:<port>}
 * @param secureCookies        when session cookies are marked Secure
 * @param failedAuthPerClient  wrong API keys or admin tokens one client address may send before it is throttled (429)
 * @param secretsKey           the keys that encrypt plugins' secret settings at rest (base64, comma-separated, the
 *                             one to encrypt with first), or null: no secret can be stored
 * @param connections          how HTTP connections are taken: timeouts, caps, h2c
 * @param management           the management listener: full health and metrics, apart from the API
 * @param trustedProxies       the reverse proxies whose {@code X-Forwarded-For} names the client
 */
public record Config(int httpPort, String httpHost, int httpInstances, long bodyLimit, Duration apiKeyCacheTtl, DatabaseUrl database, int poolSize,
                     int writeLanes, String adminToken, Duration expirySweepInterval, Duration idempotencyRetention,
                     Plugins plugins, Map<String, Studio> studios,
                     Duration metricsRefreshInterval, int expiryWarningDays, String publicUrl,
                     SecureCookies secureCookies, int failedAuthPerClient, String secretsKey,
                     Connections connections, Management management, TrustedProxies trustedProxies) {

    /**
     * When the session cookie is marked {@code Secure}: {@code AUTO} when the request came over TLS or
     * {@link #publicUrl} is {@code https}; {@code TRUE} always (TLS ends at a proxy in front); {@code FALSE} never.
     */
    public enum SecureCookies { AUTO, TRUE, FALSE }

    public Config {
        studios = Map.copyOf(studios);
    }

    /**
     * The management listener ({@code management.*}): {@code /health} with its details and {@code /metrics}, on an
     * address of its own so that the studios' figures in the metrics never reach the API's public port.
     *
     * @param host  the address it listens on (127.0.0.1: this machine only)
     * @param port  its port (0: any free port)
     * @param token the bearer token it asks for, or null when reaching it is enough
     */
    public record Management(String host, int port, String token) {
        public static Management defaults() {
            return new Management("127.0.0.1", 9000, null);
        }
    }

    /**
     * How HTTP connections are taken ({@code http.*}).
     *
     * @param idleTimeout        a connection without traffic for this long is closed
     * @param headerReadTimeout  a request's head must have arrived this long after the connection opened (after the
     *                           previous answer, on a kept-alive connection: idleTimeout + this), else it is closed
     * @param bodyReadTimeout    a request's body must have arrived this long after its head, else 408
     * @param maxConnections     open connections the server takes in all (fewer when the file descriptor limit is
     *                           lower); past it a new connection is closed at once
     * @param maxConnectionsPerAddress open connections from one client address (0: no cap); past it 503
     * @param h2c                whether HTTP/2 over cleartext (upgrade or prior knowledge) is offered
     */
    public record Connections(Duration idleTimeout, Duration headerReadTimeout, Duration bodyReadTimeout,
                              int maxConnections, int maxConnectionsPerAddress, boolean h2c) {
        public static Connections defaults() {
            return new Connections(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30), 10_000,
                    1024, false);
        }
    }

    /**
     * Plugins.
     *
     * @param directories where plugins are found (the installation's {@code plugins/} and any others)
     * @param started     the plugin ids to start, or null for every plugin found
     * @param defaults    plugin id → enablement and settings every studio gets unless it says otherwise
     * @param callTimeout how long an extension may take to answer before its request fails
     * @param serverSettings plugin id → the operator's settings of the plugin, which no studio sets or sees
     */
    public record Plugins(List<Path> directories, Set<String> started, Map<String, PluginChoice> defaults,
                          Duration callTimeout, Map<String, JsonObject> serverSettings) {
        public Plugins {
            directories = List.copyOf(directories);
            started = started == null ? null : Set.copyOf(started);
            defaults = Map.copyOf(defaults);
            serverSettings = Map.copyOf(serverSettings);
        }

        public Plugins(List<Path> directories, Set<String> started, Map<String, PluginChoice> defaults,
                       Duration callTimeout) {
            this(directories, started, defaults, callTimeout, Map.of());
        }

        /** No plugin directories: the kernel alone. */
        public static Plugins none() {
            return new Plugins(List.of(), null, Map.of(), Duration.ofSeconds(2));
        }
    }

    /**
     * A studio's configuration.
     *
     * @param consumptionOrder its consumption order, or null for the one stored with the studio
     * @param plugins          plugin id → enablement and settings
     */
    public record Studio(ConsumptionOrder consumptionOrder, Map<String, PluginChoice> plugins,
                         Integer expiryWarningDays) {
        public Studio {
            plugins = Map.copyOf(plugins);
        }
    }

    /** How many days before its credits expire a studio's member is warned. */
    public int expiryWarningDays(String studioId) {
        Studio studio = studios.get(studioId);
        return studio != null && studio.expiryWarningDays() != null ? studio.expiryWarningDays() : expiryWarningDays;
    }

    /**
     * Whether a plugin is enabled (for a studio, or by default) and with what settings.
     *
     * @param settings the settings, {@code ${env:NAME}} references resolved
     */
    public record PluginChoice(boolean enabled, JsonObject settings) {
    }

    /** The defaults of a fresh install. */
    public static Config defaults() {
        return new Builder().build();
    }

    /** How many requests may wait for a database connection (or a booking batch); past it they get 503. */
    public int waitQueueSize() {
        return poolSize * 64;
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a configuration; starts from the defaults. */
    public static final class Builder {
        private int httpPort = 8080;
        private String httpHost = "0.0.0.0";
        private int httpInstances = 2;
        private long bodyLimit = 64 * 1024;
        private Duration apiKeyCacheTtl = Duration.ofSeconds(10);
        private DatabaseUrl database = DatabaseUrl.parse(DatabaseUrl.DEFAULT);
        private int poolSize = 16;
        private int writeLanes = 2;
        private String adminToken;
        private Duration expirySweepInterval = Duration.ofSeconds(30);
        private Duration idempotencyRetention = Duration.ofDays(7);
        private Plugins plugins = Plugins.none();
        private Map<String, Studio> studios = Map.of();
        private Duration metricsRefreshInterval = Duration.ofSeconds(60);
        private int expiryWarningDays = StudioContext.DEFAULT_WARNING_DAYS;
        private String publicUrl;
        private SecureCookies secureCookies = SecureCookies.AUTO;
        private int failedAuthPerClient = 20;
        private String secretsKey;
        private Connections connections = Connections.defaults();
        private Management management = Management.defaults();
        private TrustedProxies trustedProxies = TrustedProxies.none();

        public Builder() {
        }

        Builder(Config c) {
            httpPort = c.httpPort;
            httpHost = c.httpHost;
            httpInstances = c.httpInstances;
            bodyLimit = c.bodyLimit;
            apiKeyCacheTtl = c.apiKeyCacheTtl;
            database = c.database;
            poolSize = c.poolSize;
            writeLanes = c.writeLanes;
            adminToken = c.adminToken;
            expirySweepInterval = c.expirySweepInterval;
            idempotencyRetention = c.idempotencyRetention;
            plugins = c.plugins;
            studios = c.studios;
            metricsRefreshInterval = c.metricsRefreshInterval;
            expiryWarningDays = c.expiryWarningDays;
            publicUrl = c.publicUrl;
            secureCookies = c.secureCookies;
            failedAuthPerClient = c.failedAuthPerClient;
            secretsKey = c.secretsKey;
            connections = c.connections;
            management = c.management;
            trustedProxies = c.trustedProxies;
        }

        public Builder trustedProxies(TrustedProxies value) {
            trustedProxies = value;
            return this;
        }

        public Builder httpHost(String value) {
            httpHost = value;
            return this;
        }

        public Builder management(Management value) {
            management = value;
            return this;
        }

        public Builder connections(Connections value) {
            connections = value;
            return this;
        }

        /** The address people reach the server at (links in emails); null: {@code http://localhost:<port>}. */
        public Builder publicUrl(String value) {
            publicUrl = value;
            return this;
        }

        public Builder failedAuthPerClient(int value) {
            failedAuthPerClient = value;
            return this;
        }

        /** The keys of plugins' secrets at rest; null: secrets cannot be stored. */
        public Builder secretsKey(String value) {
            secretsKey = value;
            return this;
        }

        public Builder secureCookies(SecureCookies value) {
            secureCookies = value;
            return this;
        }

        /** How many days before their credits expire members are warned (studios may say otherwise). */
        public Builder expiryWarningDays(int value) {
            expiryWarningDays = value;
            return this;
        }

        /** How often the ledger's gauges (liability, outstanding credits, totals) are read from the database. */
        public Builder metricsRefreshInterval(Duration value) {
            metricsRefreshInterval = value;
            return this;
        }

        public Builder httpPort(int value) {
            httpPort = value;
            return this;
        }

        public Builder httpInstances(int value) {
            httpInstances = value;
            return this;
        }

        public Builder bodyLimit(long value) {
            bodyLimit = value;
            return this;
        }

        public Builder apiKeyCacheTtl(Duration value) {
            apiKeyCacheTtl = value;
            return this;
        }

        public Builder database(DatabaseUrl value) {
            database = value;
            return this;
        }

        public Builder poolSize(int value) {
            poolSize = value;
            return this;
        }

        public Builder writeLanes(int value) {
            writeLanes = value;
            return this;
        }

        public Builder adminToken(String value) {
            adminToken = value;
            return this;
        }

        public Builder expirySweepInterval(Duration value) {
            expirySweepInterval = value;
            return this;
        }

        public Builder idempotencyRetention(Duration value) {
            idempotencyRetention = value;
            return this;
        }

        public Builder plugins(Plugins value) {
            plugins = value;
            return this;
        }

        public Builder studios(Map<String, Studio> value) {
            studios = value;
            return this;
        }

        public Config build() {
            return new Config(httpPort, httpHost, httpInstances, bodyLimit, apiKeyCacheTtl, database, poolSize, writeLanes, adminToken,
                    expirySweepInterval,
                    idempotencyRetention, plugins, studios, metricsRefreshInterval, expiryWarningDays,
                    publicUrl, secureCookies, failedAuthPerClient, secretsKey, connections, management,
                    trustedProxies);
        }
    }
}
