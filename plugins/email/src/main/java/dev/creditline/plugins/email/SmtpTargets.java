package dev.creditline.plugins.email;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which SMTP servers a studio may have this server connect to. A studio names its SMTP server itself, so without a
 * limit any owner could make the server connect to what only the server reaches: itself, the operator's private
 * network, a cloud's metadata service. By default a host must be public (every address it resolves to) and the port
 * an SMTP port; the operator allows more with the plugin's server settings ({@code plugins.serverSettings.email}).
 *
 * @param allowPrivateHosts whether loopback, private, link-local and other non-public addresses are allowed
 * @param ports             the ports a studio's SMTP server may listen on
 */
record SmtpTargets(boolean allowPrivateHosts, Set<Integer> ports) {
    /** The SMTP ports: relay, submission over TLS, submission, and the common alternative. */
    static final List<Integer> DEFAULT_PORTS = List.of(25, 465, 587, 2525);
    static final String ALLOW_PRIVATE_HOSTS = "allowPrivateHosts";
    static final String ALLOWED_PORTS = "allowedPorts";

    /** A host name or an IP address (IPv6 in brackets or not); anything else is not a host. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[?[0-9A-Fa-f:.]{2,45}]?");

    SmtpTargets {
        ports = Set.copyOf(ports);
    }

    /** From the plugin's server settings (checked at start, defaults filled in); null: the defaults. */
    static SmtpTargets of(JsonObject server) {
        JsonObject s = server == null ? new JsonObject() : server;
        Set<Integer> ports = new LinkedHashSet<>();
        if (s.getValue(ALLOWED_PORTS) instanceof JsonArray list) {
            list.forEach(p -> ports.add(((Number) p).intValue()));
        } else {
            ports.addAll(DEFAULT_PORTS);
        }
        return new SmtpTargets(Boolean.TRUE.equals(s.getValue(ALLOW_PRIVATE_HOSTS)), ports);
    }

    /** What is wrong with the operator's {@code allowedPorts}, or null. */
    static String portsProblem(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray list) || list.isEmpty() || !list.stream().allMatch(p ->
                (p instanceof Integer || p instanceof Long) && ((Number) p).longValue() >= 1
                        && ((Number) p).longValue() <= 65535)) {
            return "must be a list of ports (whole numbers from 1 to 65535), such as [25, 465, 587, 2525]";
        }
        return null;
    }

    /** What is wrong with connecting to this port, or null. */
    String portProblem(int port) {
        if (ports.contains(port)) {
            return null;
        }
        return "must be one of the SMTP ports this server connects to: " + ports.stream().sorted()
                .map(String::valueOf).collect(Collectors.joining(", "))
                + " (its operator can allow others: plugins.serverSettings.email." + ALLOWED_PORTS + ")";
    }

    /**
     * What is wrong with the host, resolved now, or null. A host that does not resolve is no problem here when
     * {@code unresolvedIsFine} (a setting may be stored before its name exists; every send resolves it again).
     * Blocks while the name is looked up.
     */
    String hostProblem(String host, boolean unresolvedIsFine) {
        if (host == null || !HOST.matcher(host).matches()) {
            return "must be the SMTP server's host name or IP address";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return unresolvedIsFine ? null : "does not resolve: " + host;
        }
        if (allowPrivateHosts) {
            return null;
        }
        if (Arrays.stream(addresses).anyMatch(SmtpTargets::notPublic)) {
            return "must be a public SMTP server: " + host + " is, or resolves to, a loopback, private, link-local,"
                    + " multicast or unspecified address, which this server does not connect to (its operator can"
                    + " allow them: plugins.serverSettings.email." + ALLOW_PRIVATE_HOSTS + ")";
        }
        return null;
    }

    /**
     * Whether an address reaches something other than the public internet: loopback (127/8, ::1), unspecified
     * (0/8, ::), private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), link-local (169.254/16, fe80::/10:
     * cloud metadata), carrier-grade NAT (100.64/10), multicast and broadcast; an IPv6 address that embeds an IPv4
     * one (::a.b.c.d, 64:ff9b::/96, 2002::/16) counts as that one.
     */
    static boolean notPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first == 10 || first == 127 || (first == 100 && (second & 0xc0) == 64)
                    || (first == 169 && second == 254) || (first == 172 && (second & 0xf0) == 16)
                    || (first == 192 && second == 168) || first >= 224;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true;
            }
            InetAddress embedded = embeddedIpv4(b);
            return embedded != null && notPublic(embedded);
        }
        return true;
    }

    /** The IPv4 address an IPv6 one carries (IPv4-compatible, NAT64, 6to4), or null. */
    private static InetAddress embeddedIpv4(byte[] b) {
        try {
            boolean zeros = true;
            for (int i = 0; i < 12; i++) {
                zeros &= b[i] == 0;
            }
            boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            for (int i = 4; nat64 && i < 12; i++) {
                nat64 = b[i] == 0;
            }
            if (zeros || nat64) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            }
            return null;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
