package dev.creditline.kernel.http;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse proxies in front of the server ({@code http.trustedProxies}), whose {@code X-Forwarded-For} says who the
 * client is. Without it every client behind a proxy would share the proxy's address, and one guesser's throttle would
 * lock out the whole studio. A header from anyone else is ignored: a client cannot name itself another address.
 */
public final class TrustedProxies {
    /** An address range: the first {@code prefix} bits of {@code address}. */
    private record Range(byte[] address, int prefix) {
        boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (other[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Addresses ({@code 10.0.0.7}, {@code ::1}) or ranges ({@code 10.0.0.0/8}, {@code fd00::/8}).
     *
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).trim();
            int slash = entry.indexOf('/');
            byte[] address = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? entry : entry.substring(0, slash));
            Integer prefix = address == null ? null : slash < 0 ? address.length * 8 : prefixOf(entry.substring(slash + 1),
                    address.length * 8);
            if (prefix == null) {
                throw new IllegalArgumentException("[" + i + "]: must be an IP address or a range such as 10.0.0.0/8,"
                        + " not '" + entry + "'");
            }
            ranges.add(new Range(address, prefix));
        }
        return new TrustedProxies(ranges);
    }

    private static Integer prefixOf(String text, int max) {
        try {
            int prefix = Integer.parseInt(text);
            return prefix >= 0 && prefix <= max ? prefix : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The client's address: the connection's, unless that is a trusted proxy; then the nearest address in
     * {@code X-Forwarded-For} that is not one (each proxy appends the address it was reached from).
     */
    public String client(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (peer == null) {
            return "unknown";
        }
        if (ranges.isEmpty() || !trusted(NetUtil.createByteArrayFromIpAddressString(peer))) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = NetUtil.createByteArrayFromIpAddressString(hops.get(i));
            if (hop == null) {
                // Not an address (a proxy that writes names or "unknown"): the last hop we could read.
                return client;
            }
            client = NetUtil.bytesToIpAddress(hop);
            if (!trusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(byte[] address) {
        if (address == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
