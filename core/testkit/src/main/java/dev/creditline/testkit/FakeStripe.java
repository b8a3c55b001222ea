package dev.creditline.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local server that speaks Stripe's wire format for the calls Creditline makes (form-encoded requests, JSON
 * answers, idempotency keys): Checkout Sessions, refunds and subscription updates. It records every request, can be
 * taken down (an outage answers 503 as Stripe's API does), and builds and signs webhook events with Stripe's scheme
 * ({@code Stripe-Signature: t=...,v1=HMAC-SHA256(t.payload)}).
 */
public final class FakeStripe implements AutoCloseable {
    /** The API version the events name (the one stripe-java pins). */
    public static final String API_VERSION = "2026-07-29.dahlia";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A request Stripe received.
     *
     * @param params the form parameters, keys as sent ({@code metadata[creditline_purchase]})
     */
    public record Request(String method, String path, Map<String, String> params, String idempotencyKey,
                          String authorization) {
        public String param(String name) {
            return params.get(name);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private volatile boolean down;
    private volatile String[] failure;

    public FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A started server (for a static field, whose address a test server's configuration needs before it starts). */
    public static FakeStripe start() {
        try {
            return new FakeStripe();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Answers every call with this status and body (any text: a server that is not Stripe's) until cleared. */
    public void failWith(int status, String body) {
        this.failure = body == null ? null : new String[] {Integer.toString(status), body};
    }

    /** Where stripe-java should send its calls ({@code apiBase}). */
    public String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests to one path. */
    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** Takes Stripe down (every call answers 503) or brings it back. */
    public void down(boolean isDown) {
        this.down = isDown;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (exchange.getRequestURI().getRawQuery() != null) {
            body = body.isEmpty() ? exchange.getRequestURI().getRawQuery() : body;
        }
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), form(body),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("Authorization"));
        requests.add(request);
        if (down) {
            send(exchange, 503, "{\"error\":{\"type\":\"api_error\",\"message\":\"Stripe is down (test)\"}}");
            return;
        }
        String[] failing = failure;
        if (failing != null) {
            send(exchange, Integer.parseInt(failing[0]), failing[1]);
            return;
        }
        String key = request.idempotencyKey() == null ? null : request.method() + " " + request.path() + " "
                + request.idempotencyKey();
        if (key != null && answers.containsKey(key)) {
            // Stripe answers a retried call with the first answer.
            send(exchange, 200, answers.get(key));
            return;
        }
        String answer;
        if (request.method().equals("POST") && request.path().equals("/v1/checkout/sessions")) {
            answer = session(request);
        } else if (request.method().equals("POST") && request.path().equals("/v1/refunds")) {
            answer = refund(request);
        } else if (request.method().equals("POST") && request.path().startsWith("/v1/subscriptions/")) {
            answer = subscriptionUpdate(request);
        } else {
            send(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request"
                    + " URL (" + request.method() + ": " + request.path() + ")\"}}");
            return;
        }
        if (key != null) {
            answers.put(key, answer);
        }
        send(exchange, 200, answer);
    }

    private String session(Request r) {
        String id = "cs_test_" + ids.incrementAndGet();
        ObjectNode session = MAPPER.createObjectNode().put("id", id).put("object", "checkout.session")
                .put("url", "https://checkout.stripe.com/c/pay/" + id).put("mode", r.param("mode"))
                .put("status", "open").put("payment_status", "unpaid")
                .put("client_reference_id", r.param("client_reference_id"))
                .put("currency", r.param("line_items[0][price_data][currency]"));
        String amount = r.param("line_items[0][price_data][unit_amount]");
        session.put("amount_total", amount == null ? null : Long.valueOf(amount));
        session.set("metadata", metadata(r.params(), "metadata"));
        return session.toString();
    }

    private String refund(Request r) {
        return MAPPER.createObjectNode().put("id", "re_test_" + ids.incrementAndGet()).put("object", "refund")
                .put("amount", Long.valueOf(r.param("amount"))).put("currency", "eur")
                .put("payment_intent", r.param("payment_intent")).put("status", "succeeded").toString();
    }

    private String subscriptionUpdate(Request r) {
        String id = r.path().substring("/v1/subscriptions/".length());
        return MAPPER.createObjectNode().put("id", id).put("object", "subscription").put("status", "active")
                .put("cancel_at_period_end", Boolean.parseBoolean(r.param("cancel_at_period_end"))).toString();
    }

    private static ObjectNode metadata(Map<String, String> params, String prefix) {
        ObjectNode metadata = MAPPER.createObjectNode();
        params.forEach((name, value) -> {
            if (name.startsWith(prefix + "[") && name.endsWith("]")) {
                metadata.put(name.substring(prefix.length() + 1, name.length() - 1), value);
            }
        });
        return metadata;
    }

    /** The metadata the call sent under {@code prefix} ({@code metadata}, {@code subscription_data[metadata]}). */
    public static Map<String, String> metadataOf(Request request, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        metadata(request.params(), prefix).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_test");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    // Events

    /** An event of {@code type} about {@code object}, as Stripe sends it to a webhook endpoint. */
    public String event(String type, ObjectNode object) {
        ObjectNode event = MAPPER.createObjectNode().put("id", "evt_test_" + events.incrementAndGet())
                .put("object", "event").put("api_version", API_VERSION)
                .put("created", Instant.now().getEpochSecond()).put("type", type).put("livemode", false)
                .put("pending_webhooks", 1);
        event.putObject("data").set("object", object);
        event.putObject("request").putNull("id").putNull("idempotency_key");
        return event.toString();
    }

    /** The same event created at another time (Stripe's {@code created}, in seconds). */
    public static String createdAt(String event, Instant created) {
        try {
            ObjectNode node = (ObjectNode) MAPPER.readTree(event);
            return node.put("created", created.getEpochSecond()).toString();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A Checkout Session as {@code checkout.session.completed} carries it, from the session we created. */
    public ObjectNode completedSession(Request created, String paymentIntent, String subscription) {
        String mode = created.param("mode");
        ObjectNode session = MAPPER.createObjectNode().put("id", "cs_test_completed_" + ids.incrementAndGet())
                .put("object", "checkout.session").put("mode", mode).put("status", "complete")
                .put("payment_status", "paid").put("client_reference_id", created.param("client_reference_id"))
                .put("currency", created.param("line_items[0][price_data][currency]"))
                .put("amount_total", Long.valueOf(created.param("line_items[0][price_data][unit_amount]")));
        session.put("payment_intent", paymentIntent).put("subscription", subscription);
        session.set("metadata", metadata(created.params(), "metadata"));
        return session;
    }

    /** An invoice of a subscription's period, paid (or not, {@code status} "open"). */
    public ObjectNode invoice(Map<String, String> subscriptionMetadata, String subscription, Instant start,
                              Instant end, long amountPaid, String currency, String paymentIntent, String status) {
        ObjectNode invoice = MAPPER.createObjectNode().put("id", "in_test_" + ids.incrementAndGet())
                .put("object", "invoice").put("status", status).put("amount_paid", amountPaid)
                .put("currency", currency).put("billing_reason", "subscription_cycle");
        ObjectNode details = invoice.putObject("parent").put("type", "subscription_details")
                .putObject("subscription_details").put("subscription", subscription);
        ObjectNode meta = details.putObject("metadata");
        subscriptionMetadata.forEach(meta::put);
        ObjectNode line = invoice.putObject("lines").put("object", "list").put("has_more", false)
                .putArray("data").addObject().put("id", "il_test_" + ids.incrementAndGet())
                .put("object", "line_item").put("amount", amountPaid).put("currency", currency);
        line.putObject("period").put("start", start.getEpochSecond()).put("end", end.getEpochSecond());
        if (paymentIntent != null) {
            invoice.putObject("payments").put("object", "list").put("has_more", false).putArray("data").addObject()
                    .put("id", "inpay_test_" + ids.incrementAndGet()).put("object", "invoice_payment")
                    .put("status", "paid").putObject("payment").put("type", "payment_intent")
                    .put("payment_intent", paymentIntent);
        }
        return invoice;
    }

    /** A subscription as {@code customer.subscription.*} carries it. */
    public static ObjectNode subscription(String id, Map<String, String> metadata, String status, Instant start,
                                          Instant end, boolean cancelAtPeriodEnd) {
        ObjectNode sub = MAPPER.createObjectNode().put("id", id).put("object", "subscription").put("status", status)
                .put("cancel_at_period_end", cancelAtPeriodEnd);
        ObjectNode meta = sub.putObject("metadata");
        metadata.forEach(meta::put);
        sub.putObject("items").put("object", "list").put("has_more", false).putArray("data").addObject()
                .put("id", "si_" + id).put("object", "subscription_item")
                .put("current_period_start", start.getEpochSecond()).put("current_period_end", end.getEpochSecond());
        return sub;
    }

    /** A charge as {@code charge.refunded} carries it. */
    public static ObjectNode refundedCharge(String paymentIntent, long amount, long refunded, String currency) {
        return MAPPER.createObjectNode().put("id", "ch_test_" + paymentIntent).put("object", "charge")
                .put("payment_intent", paymentIntent).put("amount", amount).put("amount_refunded", refunded)
                .put("currency", currency).put("refunded", refunded >= amount);
    }

    /** Any other object, for event types nobody handles. */
    public static ObjectNode object(String type, String id) {
        return MAPPER.createObjectNode().put("id", id).put("object", type);
    }

    /** The {@code Stripe-Signature} header Stripe would send for this payload, signed at {@code timestamp}. */
    public static String sign(String payload, String secret, Instant timestamp) {
        long t = timestamp.getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(signature);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request body's parameters that start with a prefix, for assertions. */
    public static List<String> keys(Request request, String prefix) {
        List<String> keys = new ArrayList<>();
        request.params().keySet().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        return keys;
    }
}
