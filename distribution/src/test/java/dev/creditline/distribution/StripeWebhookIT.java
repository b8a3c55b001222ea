package dev.creditline.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.FakeStripe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /webhooks/stripe} against what an outside caller can send: every unsigned, wrongly signed, badly dated
 * or malformed event is a 400 problem with one line in the log (no stack trace) and changes nothing; nothing that was
 * not verified is acknowledged; and the answer does not tell whether a studio uses Stripe. Signatures are computed
 * as Stripe computes them (HMAC-SHA256 over {@code "<t>.<payload>"}).
 */
class StripeWebhookIT {
    static final String SECRET = StripeIT.WEBHOOK_SECRET;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();
    static final FakeStripe stripe = FakeStripe.start();
    static StudioFixture studio;

    @BeforeAll
    static void aStudioWithStripe() {
        studio = server.studio(true);
        PluginServers.enable(studio, "stripe", Map.of("secretKey", StripeIT.SECRET_KEY, "webhookSecret", SECRET));
    }

    @AfterAll
    static void stopStripe() {
        stripe.close();
    }

    /** A completed checkout of the studio's, as Stripe would send it, with a change made to the object. */
    static String checkout(String studioId, UnaryOperator<ObjectNode> change) {
        ObjectNode session = FakeStripe.object("checkout.session", "cs_test_probe").put("mode", "payment")
                .put("status", "complete").put("payment_status", "paid").put("client_reference_id", "pur_probe")
                .put("currency", "eur").put("amount_total", 5000).put("payment_intent", "pi_probe");
        session.putObject("metadata").put("creditline_studio", studioId).put("creditline_purchase", "pur_probe");
        return stripe.event("checkout.session.completed", change.apply(session));
    }

    /** The event as a tree, changed as a whole. */
    static String event(String studioId, UnaryOperator<ObjectNode> change) {
        try {
            return change.apply((ObjectNode) MAPPER.readTree(checkout(studioId, o -> o))).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String signed(String payload) {
        return FakeStripe.sign(payload, SECRET, Instant.now());
    }

    static String signedWith(String payload, String secret) {
        return FakeStripe.sign(payload, secret, Instant.now());
    }

    /** The v1 signature of a payload at {@code t}, without the header around it. */
    static String v1(String payload, long t) {
        String header = FakeStripe.sign(payload, SECRET, Instant.ofEpochSecond(t));
        return header.substring(header.indexOf("v1=") + 3);
    }

    static Arguments shape(String name, String payload, String signature) {
        return Arguments.of(name, payload, signature);
    }

    /** Events nobody verified, or verified but not readable as Stripe events: each must be a 400. */
    static Stream<Arguments> refused() {
        String id = "STUDIO";   // replaced by the studio's id
        String good = checkout(id, o -> o);
        long now = Instant.now().getEpochSecond();
        return Stream.of(
                // The Stripe-Signature header
                shape("t that is not a number", good, "t=abc,v1=" + v1(good, now)),
                shape("t too long for a number", good, "t=99999999999999999999999,v1=" + v1(good, now)),
                shape("no t", good, "v1=" + v1(good, now)),
                shape("no v1", good, "t=" + now),
                shape("a header of nonsense", good, "nonsense"),
                shape("no header", good, null),
                // Signed wrongly, with bodies of the wrong shapes
                shape("an array as the body", "[]", signedWith("[]", "whsec_someone_else")),
                shape("not JSON", "{\"id\":", signedWith("{\"id\":", "whsec_someone_else")),
                shape("data a string", event(id, e -> e.put("data", "x")), "WRONG"),
                shape("object an array", event(id, e -> { e.with("data").putArray("object"); return e; }), "WRONG"),
                shape("object a number", event(id, e -> { e.with("data").put("object", 7); return e; }), "WRONG"),
                shape("metadata a string", checkout(id, o -> o.put("metadata", "x")), "WRONG"),
                shape("metadata an array", checkout(id, o -> { o.putArray("metadata").add(id); return o; }),
                        "WRONG"),
                shape("parent a number", checkout(id, o -> { o.remove("metadata"); return o.put("parent", 5); }),
                        "WRONG"),
                shape("subscription_details a string", checkout(id, o -> {
                    o.remove("metadata");
                    o.putObject("parent").put("subscription_details", "x");
                    return o;
                }), "WRONG"),
                shape("object's type a number", checkout(id, o -> o.put("object", 7).put("subscription", 1)),
                        "WRONG"),
                shape("payment_intent an object", checkout(id, o -> {
                    o.remove("metadata");
                    o.putObject("payment_intent");
                    return o;
                }), "WRONG"),
                // Good events, badly signed or dated
                shape("signed with another secret", good, "WRONG"),
                shape("tampered after signing", good.replace("5000", "1"), "SIGNED:" + good),
                shape("signed ten minutes ago", good, "AT:-600"),
                shape("signed ten minutes ahead", good, "AT:600"),
                // Signed right, but not a Stripe event we can read
                shape("signed, without api_version", event(id, e -> { e.remove("api_version"); return e; }),
                        "SIGNED"),
                shape("signed, currency zzz", checkout(id, o -> o.put("currency", "zzz")), "SIGNED"),
                shape("signed, data a string", event(id, e -> e.put("data", "x")), "SIGNED"),
                shape("signed, metadata an array", checkout(id, o -> {
                    o.putArray("metadata").add(id);
                    return o.put("client_reference_id", 5);
                }), "SIGNED"),
                shape("signed, an invoice as the checkout", event(id, e -> {
                    e.with("data").with("object").put("object", "invoice");
                    return e;
                }), "SIGNED"),
                shape("signed, an amount that is text", checkout(id, o -> o.put("amount_total", "lots")), "SIGNED"),
                shape("signed, no type", event(id, e -> { e.remove("type"); return e; }), "SIGNED"));
    }

    /** The header for a shape: as given, or signed as the shape says. */
    static String header(String payload, String signature) {
        if (signature == null) {
            return null;
        }
        if (signature.equals("WRONG")) {
            return signedWith(payload, "whsec_someone_else");
        }
        if (signature.equals("SIGNED")) {
            return signed(payload);
        }
        if (signature.startsWith("SIGNED:")) {
            return signed(signature.substring("SIGNED:".length()).replace("STUDIO", studio.id()));
        }
        if (signature.startsWith("AT:")) {
            return FakeStripe.sign(payload, SECRET, Instant.now().plusSeconds(Long.parseLong(signature.substring(3))));
        }
        return signature;
    }

    static Response post(String path, String payload, String signature) {
        return studio.api().send("POST", path, null, payload, signature == null ? Map.of()
                : Map.of("Stripe-Signature", signature));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedWith400AndOneLogLineAndChangesNothing(String name, String template, String signature) {
        String payload = template.replace("STUDIO", studio.id());
        String header = header(payload, signature);
        Map<String, String> before = server.probe().fingerprint();

        for (String path : List.of("/webhooks/stripe", "/webhooks/stripe/" + studio.id())) {
            LogLines.Logged<Response> logged = LogLines.during(() -> post(path, payload, header));

            Response refused = logged.result();
            assertThat(refused.status()).as(path + ": " + refused.raw()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.text("/type")).matches(".*/(invalid_signature|malformed_event)");
            assertThat(logged.traces()).as(logged.rendered()).isZero();
            assertThat(logged.lines()).as(logged.rendered())
                    .filteredOn(line -> line.startsWith("dev.creditline.plugins.stripe")
                            || line.startsWith("dev.creditline.kernel.http")).hasSize(1);
        }
        assertThat(server.probe().fingerprint()).isEqualTo(before);
    }

    @Test
    void anUnverifiedEventIsNeverAcknowledged() {
        String notOurs = stripe.event("payment_intent.created", FakeStripe.object("payment_intent", "pi_elsewhere"));

        Response shared = post("/webhooks/stripe", notOurs, signed(notOurs));
        Response own = post("/webhooks/stripe/" + studio.id(), notOurs, signed(notOurs));
        Response ownForged = post("/webhooks/stripe/" + studio.id(), notOurs, signedWith(notOurs, "whsec_other"));

        assertThat(shared.status()).as("no studio's secret can verify it: " + shared.raw()).isEqualTo(400);
        assertThat(own.status()).as(own.raw()).isEqualTo(200);
        assertThat(own.text("/outcome")).isEqualTo("ignored");
        assertThat(ownForged.status()).isEqualTo(400);
    }

    @Test
    void whetherAStudioUsesStripeDoesNotShow() {
        StudioFixture without = server.studio(true);
        StudioFixture disabledWithout = server.studio(true);
        PluginServers.enable(disabledWithout, "stripe", Map.of("secretKey", "sk_test_x", "webhookSecret",
                "whsec_not_the_senders"));
        List<Response> answers = new java.util.ArrayList<>();
        for (String studioId : List.of(studio.id(), without.id(), disabledWithout.id(), "std_no_such_studio")) {
            String event = checkout(studioId, o -> o);
            String forged = signedWith(event, "whsec_forger");
            answers.add(post("/webhooks/stripe", event, forged));
            answers.add(post("/webhooks/stripe/" + studioId, event, forged));
        }

        assertThat(answers).extracting(Response::status).containsOnly(400);
        assertThat(answers).extracting(r -> r.text("/type") + " " + r.text("/detail") + " " + r.text("/title"))
                .as("one answer for all").containsOnly(answers.get(0).text("/type") + " "
                        + answers.get(0).text("/detail") + " " + answers.get(0).text("/title"));
    }

    @Test
    void aSignatureWithinTheToleranceEitherWayIsAccepted() {
        for (long skew : List.of(-240L, 240L)) {
            String event = stripe.event("customer.created", FakeStripe.object("customer", "cus_" + (skew + 1000)));
            Response answer = post("/webhooks/stripe/" + studio.id(), event,
                    FakeStripe.sign(event, SECRET, Instant.now().plus(Duration.ofSeconds(skew))));
            assertThat(answer.status()).as(skew + "s: " + answer.raw()).isEqualTo(200);
        }
    }
}
