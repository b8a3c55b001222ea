package dev.creditline.store;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the ledger's database is and how to reach it:
 * {@code postgresql://user[:password]@host[:port]/database[?parameter=value&...]}. Missing parts default to
 * {@code postgres@127.0.0.1:5432/creditline}.
 *
 * <p>The parameters mean what they mean to libpq; every connection of the server (the pool, the migrations, the
 * creation of a missing database) uses them, and any other parameter is refused rather than ignored:
 * <ul>
 * <li>{@code sslmode}: {@code disable} (the default: plaintext), {@code allow}, {@code prefer}, {@code require}
 * (TLS, the server's certificate unchecked), {@code verify-ca} (TLS, certificate issued by a trusted CA),
 * {@code verify-full} (and made out to the host connected to).</li>
 * <li>{@code sslrootcert}: a PEM file of the trusted CAs, or {@code system} for the JVM's (with verify-full only);
 * with {@code require} it checks the certificate as verify-ca does, as libpq does.</li>
 * <li>{@code sslcert}, {@code sslkey}: a client certificate (PEM) and its key (unencrypted PKCS#8 PEM, readable by its
 * owner only; RSA or EC), for servers that ask for one.</li>
 * <li>{@code application_name}: what the server shows for the connections.</li>
 * <li>{@code connect_timeout}: seconds to wait for a connection (default 5).</li>
 * </ul>
 * Files are checked when the URL is parsed; a relative path is taken from the working directory.
 *
 * @param host       the server's host
 * @param port       its port
 * @param database   the database name
 * @param user       the role to connect as
 * @param password   the password, or null (trust or peer authentication)
 * @param parameters the URL's parameters
 */
public record DatabaseUrl(String host, int port, String database, String user, String password,
        Parameters parameters) {

    /** The database a fresh install uses. */
    public static final String DEFAULT = "postgresql://postgres@127.0.0.1:5432/creditline";

    /** The parameters the URL may carry. */
    public static final List<String> PARAMETERS =
            List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "application_name", "connect_timeout");

    /** The seconds to wait for a connection when {@code connect_timeout} is not given. */
    public static final int DEFAULT_CONNECT_TIMEOUT = 5;

    /** {@code sslrootcert=system}: the CAs the JVM trusts. */
    public static final String SYSTEM_CAS = "system";

    private static final Pattern PASSWORD = Pattern.compile("(://[^/?#@:]*:)[^/?#]*@");
    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    /**
     * The URL's parameters, checked; null where not given.
     *
     * @param sslMode         {@code sslmode}
     * @param sslRootCert     {@code sslrootcert}: an absolute path, or {@link #SYSTEM_CAS}
     * @param sslCert         {@code sslcert}: an absolute path
     * @param sslKey          {@code sslkey}: an absolute path
     * @param sslKeyAlgorithm the algorithm of the key in {@code sslkey} (RSA, EC, ...), null without one
     * @param applicationName {@code application_name}
     * @param connectTimeout  {@code connect_timeout} in seconds
     */
    public record Parameters(SslMode sslMode, String sslRootCert, String sslCert, String sslKey,
            String sslKeyAlgorithm, String applicationName, Integer connectTimeout) {

        /** No parameters: plaintext, the clients' own application name, a 5 s connect timeout. */
        public static final Parameters NONE = new Parameters(null, null, null, null, null, null, null);

        /** The parameters as they are written in a URL, in a fixed order, values percent-encoded. */
        String query() {
            List<String> pairs = new ArrayList<>();
            if (sslMode != null) {
                pairs.add("sslmode=" + sslMode.value);
            }
            add(pairs, "sslrootcert", sslRootCert);
            add(pairs, "sslcert", sslCert);
            add(pairs, "sslkey", sslKey);
            add(pairs, "application_name", applicationName);
            if (connectTimeout != null) {
                pairs.add("connect_timeout=" + connectTimeout);
            }
            return String.join("&", pairs);
        }

        private static void add(List<String> pairs, String name, String value) {
            if (value != null) {
                pairs.add(name + "=" + encode(value));
            }
        }
    }

    /** A URL without parameters. */
    public DatabaseUrl(String host, int port, String database, String user, String password) {
        this(host, port, database, user, password, Parameters.NONE);
    }

    public DatabaseUrl {
        parameters = parameters == null ? Parameters.NONE : parameters;
    }

    /**
     * Parses a URL of the form {@code postgresql://user[:password]@host[:port]/database[?parameter=value&...]}.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static DatabaseUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("database URL '" + redact(url) + "' is not a URL: " + e.getReason());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("database URL '" + redact(url)
                    + "' must start with postgresql:// (postgresql://user@host:port/db)");
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
        return new DatabaseUrl(host, port, database, user, password, parameters(uri.getRawQuery()));
    }

    private static Parameters parameters(String query) {
        Map<String, String> given = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decodeParameter(equals < 0 ? pair : pair.substring(0, equals));
                if (!PARAMETERS.contains(name)) {
                    throw new IllegalArgumentException("database URL parameter '" + name + "' is not supported"
                            + " (supported: " + String.join(", ", PARAMETERS) + ")");
                }
                String value = equals < 0 ? "" : decodeParameter(pair.substring(equals + 1));
                if (value.isBlank()) {
                    throw new IllegalArgumentException("database URL parameter " + name + " has no value");
                }
                if (given.put(name, value) != null) {
                    throw new IllegalArgumentException("database URL parameter " + name + " is given twice");
                }
            }
        }
        SslMode sslMode = given.containsKey("sslmode") ? sslMode(given.get("sslmode")) : null;
        SslMode effective = sslMode == null ? SslMode.DISABLE : sslMode;
        String rootCert = given.get("sslrootcert");
        if (rootCert != null) {
            if (SYSTEM_CAS.equals(rootCert)) {
                if (effective != SslMode.VERIFY_FULL) {
                    throw new IllegalArgumentException("database URL parameter sslrootcert=system needs"
                            + " sslmode=verify-full: a public CA vouches for names, so the name must be checked");
                }
            } else {
                if (!EnumSet.of(SslMode.REQUIRE, SslMode.VERIFY_CA, SslMode.VERIFY_FULL).contains(effective)) {
                    throw new IllegalArgumentException("database URL parameter sslrootcert needs sslmode=verify-full,"
                            + " verify-ca or require: with sslmode=" + effective.value + " no certificate is checked");
                }
                rootCert = certificates("sslrootcert", rootCert);
            }
        } else if (effective == SslMode.VERIFY_CA || effective == SslMode.VERIFY_FULL) {
            throw new IllegalArgumentException("database URL parameter sslmode=" + effective.value
                    + " needs sslrootcert: a PEM file of the CAs to trust (or sslrootcert=system for the JVM's)");
        }
        String cert = given.get("sslcert");
        String key = given.get("sslkey");
        String keyAlgorithm = null;
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("database URL parameter " + (cert == null ? "sslkey" : "sslcert")
                        + " needs " + (cert == null ? "sslcert" : "sslkey") + " too: a client certificate and its key");
            }
            if (effective == SslMode.DISABLE) {
                throw new IllegalArgumentException("database URL parameter sslcert needs an sslmode other than"
                        + " disable: a client certificate is sent over TLS only");
            }
            cert = certificates("sslcert", cert);
            key = file("sslkey", key);
            keyAlgorithm = keyAlgorithm(key);
        }
        return new Parameters(sslMode, rootCert, cert, key, keyAlgorithm,
                applicationName(given.get("application_name")), connectTimeout(given.get("connect_timeout")));
    }

    private static SslMode sslMode(String value) {
        for (SslMode mode : SslMode.VALUES) {
            if (mode.value.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("database URL parameter sslmode: '" + value + "' is not one of "
                + Arrays.stream(SslMode.VALUES).map(m -> m.value).collect(Collectors.joining(", ")));
    }

    /** The absolute path of a readable file of at least one PEM certificate. */
    private static String certificates(String name, String value) {
        String path = file(name, value);
        int count;
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            count = CertificateFactory.getInstance("X.509").generateCertificates(in).size();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("database URL parameter " + name + ": '" + path
                    + "' is not a PEM file of certificates (" + e.getMessage() + ")");
        }
        if (count == 0) {
            throw new IllegalArgumentException("database URL parameter " + name + ": '" + path
                    + "' holds no PEM certificate");
        }
        return path;
    }

    private static String file(String name, String value) {
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("database URL parameter " + name + ": no file '" + path + "'");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("database URL parameter " + name + ": '" + path + "' is not readable");
        }
        return path.toString();
    }

    /**
     * The algorithm of an unencrypted PKCS#8 PEM key (what both PostgreSQL clients read), after the checks libpq and
     * the JDBC driver make: only its owner may read it (and, for a file of root's, its group).
     */
    private static String keyAlgorithm(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".der") || lower.endsWith(".p12") || lower.endsWith(".pfx")) {
            // The JDBC driver reads such names as DER or PKCS#12, not as PEM.
            throw new IllegalArgumentException("database URL parameter sslkey: '" + path
                    + "' must be a PEM file named other than *.der, *.p12 or *.pfx (e.g. client.key)");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(Path.of(path));
            boolean rootOwned = "root".equals(Files.getOwner(Path.of(path)).getName());
            boolean others = permissions.contains(PosixFilePermission.OTHERS_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
            boolean group = permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                    || (!rootOwned && permissions.contains(PosixFilePermission.GROUP_READ));
            if (others || group) {
                throw new IllegalArgumentException("database URL parameter sslkey: '" + path
                        + "' may be read by others: chmod 600 it");
            }
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the drivers check its ACL themselves
        } catch (IOException e) {
            throw new IllegalArgumentException("database URL parameter sslkey: cannot read '" + path + "': " + e);
        }
        String pem;
        try {
            pem = Files.readString(Path.of(path), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("database URL parameter sslkey: cannot read '" + path + "': " + e);
        }
        Matcher matcher = PKCS8.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException("database URL parameter sslkey: '" + path + "' is not an unencrypted"
                    + " PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pem>");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("database URL parameter sslkey: '" + path + "' is not valid PEM: "
                    + e.getMessage());
        }
        try {
            // The two the reactive client reads.
            for (String algorithm : List.of("RSA", "EC")) {
                try {
                    KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    return algorithm;
                } catch (GeneralSecurityException notThisOne) {
                    // try the next
                }
            }
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        throw new IllegalArgumentException("database URL parameter sslkey: '" + path
                + "' is not an RSA or EC private key");
    }

    private static String applicationName(String value) {
        // PostgreSQL keeps 63 bytes of printable ASCII and replaces the rest: refuse what it would not show as given.
        if (value != null && !value.matches("[\\x20-\\x7e]{1,63}")) {
            throw new IllegalArgumentException("database URL parameter application_name: at most 63 printable ASCII"
                    + " characters");
        }
        return value;
    }

    private static Integer connectTimeout(String value) {
        if (value == null) {
            return null;
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds >= 1 && seconds <= 3600) {
                return seconds;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("database URL parameter connect_timeout: '" + value
                + "' is not a number of seconds from 1 to 3600");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    /** Percent-decoding only: a '+' in a file name stays a '+'. */
    private static String decodeParameter(String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("database URL parameter '" + part + "' is not percent-encoded: "
                    + e.getMessage());
        }
    }

    /** Percent-encodes all but the characters a path or a name commonly holds. */
    private static String encode(String value) {
        return encode(value, "-._~/:,@");
    }

    /** Percent-encodes all but letters, digits and the given characters. */
    private static String encode(String value, String kept) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || kept.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", (int) c));
            }
        }
        return out.toString();
    }

    /** A URL as given, with any password replaced, for messages. */
    private static String redact(String url) {
        return PASSWORD.matcher(url).replaceFirst("$1***@");
    }

    /** The same server and parameters with another database. */
    public DatabaseUrl withDatabase(String name) {
        return new DatabaseUrl(host, port, name, user, password, parameters);
    }

    /** The SSL mode the clients use: {@code disable} unless given; {@code require} with a CA file is verify-ca. */
    public SslMode sslMode() {
        SslMode mode = parameters.sslMode() == null ? SslMode.DISABLE : parameters.sslMode();
        if (mode == SslMode.REQUIRE && parameters.sslRootCert() != null) {
            return SslMode.VERIFY_CA;
        }
        return mode;
    }

    /** The seconds to wait for a connection. */
    public int connectTimeout() {
        return parameters.connectTimeout() == null ? DEFAULT_CONNECT_TIMEOUT : parameters.connectTimeout();
    }

    /**
     * The JDBC URL (for Flyway and set-up), with the URL's parameters as the PostgreSQL JDBC driver names them; the
     * user and password are given apart.
     */
    public String jdbcUrl() {
        List<String> properties = new ArrayList<>();
        // Said even when not given: the driver's own default is prefer, the reactive client's disable.
        properties.add("sslmode=" + sslMode().value);
        if (SYSTEM_CAS.equals(parameters.sslRootCert())) {
            properties.add("sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
        } else if (parameters.sslRootCert() != null) {
            properties.add("sslrootcert=" + encode(parameters.sslRootCert()));
        }
        if (parameters.sslCert() != null) {
            properties.add("sslcert=" + encode(parameters.sslCert()));
            properties.add("sslkey=" + encode(parameters.sslKey()));
            properties.add("pemKeyAlgorithm=" + parameters.sslKeyAlgorithm());
        }
        if (parameters.applicationName() != null) {
            properties.add("ApplicationName=" + encode(parameters.applicationName()));
        }
        properties.add("connectTimeout=" + connectTimeout());
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?" + String.join("&", properties);
    }

    /** The options for the reactive client. */
    public PgConnectOptions connectOptions() {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(host).setPort(port).setDatabase(database).setUser(user);
        if (password != null) {
            options.setPassword(password);
        }
        if (parameters.applicationName() != null) {
            options.addProperty("application_name", parameters.applicationName());
        }
        SslMode mode = sslMode();
        options.setSslMode(mode);
        if (mode != SslMode.DISABLE) {
            ClientSSLOptions ssl = new ClientSSLOptions();
            if (parameters.sslRootCert() == null) {
                // allow, prefer and require check no certificate, as libpq and the JDBC driver do not.
                ssl.setTrustAll(true);
            } else {
                ssl.setTrustOptions(trust());
            }
            if (mode == SslMode.VERIFY_FULL) {
                ssl.setHostnameVerificationAlgorithm("HTTPS");
            }
            if (parameters.sslCert() != null) {
                ssl.setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(parameters.sslCert()).setKeyPath(parameters.sslKey()));
            }
            options.setSslOptions(ssl);
        }
        return options;
    }

    private TrustOptions trust() {
        if (!SYSTEM_CAS.equals(parameters.sslRootCert())) {
            return new PemTrustOptions().addCertPath(parameters.sslRootCert());
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return TrustOptions.wrap(factory);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's trusted CAs cannot be read", e);
        }
    }

    /** The reactive client's transport options: the connect timeout. */
    public NetClientOptions netClientOptions() {
        return new NetClientOptions().setConnectTimeout(connectTimeout() * 1000);
    }

    /** The URL with its password and parameters: for handing to another process, never for messages. */
    public String toUrlWithPassword() {
        String query = parameters.query();
        String userInfo = encode(user, "-._~") + (password == null ? "" : ":" + encode(password, "-._~"));
        return "postgresql://" + userInfo + "@" + host + ":" + port + "/" + database
                + (query.isEmpty() ? "" : "?" + query);
    }

    /** The URL with its parameters but without its password, for messages. */
    @Override
    public String toString() {
        String query = parameters.query();
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }
}
