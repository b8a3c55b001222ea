package dev.creditline.store;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the ledger's database is: {@code postgresql://user[:password]@host[:port]/database}. Missing parts default to
 * {@code postgres@127.0.0.1:5432/creditline}.
 *
 * @param host     the server's host
 * @param port     its port
 * @param database the database name
 * @param user     the role to connect as
 * @param password the password, or null (trust or peer authentication)
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

    /** The database a fresh install uses. */
    public static final String DEFAULT = "postgresql://postgres@127.0.0.1:5432/creditline";

    /**
     * Parses a URL of the form {@code postgresql://user[:password]@host[:port]/database}.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static DatabaseUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("database URL '" + url + "' is not a URL: " + e.getReason());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "database URL '" + url + "' must start with postgresql:// (postgresql://user@host:port/db)");
        }
        String user = "postgres";
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String database = path.isEmpty() ? "creditline" : path;
        if (!database.matches("[A-Za-z0-9_\\-]{1,63}")) {
            throw new IllegalArgumentException("database name '" + database + "' may hold letters, digits, _ and - only");
        }
        return new DatabaseUrl(host, port, database, user, password);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    /** The same server with another database. */
    public DatabaseUrl withDatabase(String name) {
        return new DatabaseUrl(host, port, name, user, password);
    }

    /** The JDBC URL (for Flyway and set-up). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The options for the reactive client. */
    public PgConnectOptions connectOptions() {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(host).setPort(port).setDatabase(database).setUser(user);
        if (password != null) {
            options.setPassword(password);
        }
        return options;
    }

    /** The URL without its password, for messages. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
