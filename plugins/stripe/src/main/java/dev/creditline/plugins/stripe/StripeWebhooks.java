package dev.creditline.plugins.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.InvoicePayment;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import dev.creditline.api.Money;
import dev.creditline.api.SubscriptionStatus;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginHttp;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/stripe/<studioId>} (and {@code POST /webhooks/stripe}, which finds the studio from the
 * metadata we put on every Stripe object, or from the objects we recorded): Stripe's events, verified with the
 * studio's signing secret and turned into ledger commands. Nothing is read from an event before its signature
 * verifies (Stripe's scheme, HMAC-SHA256 over {@code "<t>.<payload>"}, dated within five minutes either way), and
 * every refusal is one 400 and one line of the log; an event that does not verify gets the same answer whether or not
 * the studio it names uses Stripe. A replayed event changes nothing, events may come in any order, and verified
 * events of types or objects we do not handle are acknowledged and ignored.
 */
@Singleton
final class StripeWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger(StripeWebhooks.class);
    /** Seconds a signature's timestamp may be off, either way: Stripe's own default. */
    static final long TOLERANCE = Webhook.DEFAULT_TOLERANCE;
    /** The one answer to an event that does not verify, whatever studio it names. */
    static final String NOT_VERIFIED = "the Stripe-Signature does not verify for the studio's webhook secret";
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");

    private final PluginHost host;
    private final PluginHttp http;
    private final StripeStore store;
    /** What an event is checked against when its studio has no secret: the same work, and the same answer. */
    private final byte[] decoy = new byte[32];

    @Inject
    StripeWebhooks(PluginHost host, StripeStore store) {
        this.host = host;
        this.http = host.http();
        this.store = store;
        new SecureRandom().nextBytes(decoy);
    }

    void register() {
        http.routes(router -> {
            router.webhook(HttpMethod.POST, "").handler(ctx -> receive(ctx, null));
            router.webhook(HttpMethod.POST, "/:studioId").handler(ctx -> receive(ctx, ctx.pathParam("studioId")));
        });
    }

    private void receive(RoutingContext ctx, String studioInPath) {
        String payload = ctx.body() == null ? null : ctx.body().asString();
        Signature signature;
        try {
            signature = Signature.parse(ctx.request().getHeader("Stripe-Signature"), payload,
                    host.clock().instant().getEpochSecond());
        } catch (ApiProblem refused) {
            ctx.fail(logged(refused));
            return;
        }
        Future<String> studio = studioInPath != null ? Future.succeededFuture(studioInPath)
                : studioOf(unverified(payload));
        http.respond(ctx, studio.compose(studioId -> {
            Event event = verified(studioId, payload, signature);
            String named = metadataStudio(readable(payload));
            if (named != null && !named.equals(studioId)) {
                // Signed with this studio's secret, yet naming another studio: not this studio's to apply.
                return Future.succeededFuture(reply("ignored", "another studio's object"));
            }
            return store.handled(studioId, event.getId()).compose(handled -> handled
                    ? Future.succeededFuture(reply("duplicate", event.getId()))
                    : applied(studioId, event)
                            .compose(outcome -> store.recordEvent(studioId, event.getId(), event.getType())
                                    .map(done -> reply(outcome, event.getId()))));
        }).onFailure(e -> {
            if (e instanceof ApiProblem problem) {
                logged(problem);
            }
        }));
    }

    private static ApiProblem logged(ApiProblem problem) {
        LOG.info("Stripe event refused: {} {}: {}", problem.status(), problem.type(), problem.getMessage());
        return problem;
    }

    private static PluginHttp.Reply reply(String outcome, String detail) {
        return new PluginHttp.Reply(200, new JsonObject().put("received", true).put("outcome", outcome)
                .put("detail", detail));
    }

    /**
     * The {@code Stripe-Signature} header: {@code t=<seconds>} once and one or more {@code v1=<hex>}, dated within
     * the tolerance of now, either way (stripe-java's own check accepts any date in the future).
     */
    record Signature(String payload, long timestamp, List<String> v1) {
        static Signature parse(String header, String payload, long now) {
            if (header == null || payload == null) {
                throw notSigned("a Stripe event needs its body and its Stripe-Signature header");
            }
            Long t = null;
            List<String> v1 = new ArrayList<>();
            for (String part : header.length() > 4096 ? new String[0] : header.split(",")) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
                String value = eq < 0 ? "" : part.substring(eq + 1).trim();
                if (key.equals("t")) {
                    if (t != null || !TIMESTAMP.matcher(value).matches()) {
                        throw notSigned("the Stripe-Signature header's t must be one number of seconds");
                    }
                    t = Long.parseLong(value);
                } else if (key.equals("v1")) {
                    v1.add(value);
                }
            }
            if (t == null || v1.isEmpty()) {
                throw notSigned("the Stripe-Signature header needs t=<seconds> and v1=<signature>");
            }
            if (Math.abs(now - t) > TOLERANCE) {
                throw notSigned("the Stripe-Signature is dated more than " + TOLERANCE + " seconds from now");
            }
            return new Signature(payload, t, List.copyOf(v1));
        }

        /** Whether one of the signatures is the payload's HMAC-SHA256 with this secret (in constant time). */
        boolean madeWith(byte[] secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                byte[] expected = HexFormat.of().formatHex(mac.doFinal((timestamp + "." + payload)
                        .getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
                boolean match = false;
                for (String given : v1) {
                    match |= MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII));
                }
                return match;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ApiProblem notSigned(String detail) {
        return new ApiProblem(400, "invalid_signature", detail, "Stripe-Signature");
    }

    private static ApiProblem malformed(String detail) {
        return new ApiProblem(400, "malformed_event", detail, null);
    }

    /**
     * The event, once the studio's signing secret verifies it; the same 400 for a wrong signature, a studio without
     * a secret and a studio that does not exist. Then it must read as a Stripe event (400 otherwise).
     */
    private Event verified(String studioId, String payload, Signature signature) {
        String secret = studioId == null ? null
                : StripeSettings.of(host.settings().forStudio(studioId), host.settings().server()).webhookSecret();
        boolean made = signature.madeWith(secret == null ? decoy : secret.getBytes(StandardCharsets.UTF_8));
        if (!made || secret == null) {
            throw notSigned(NOT_VERIFIED);
        }
        JsonObject event = readable(payload);
        if (event == null) {
            throw malformed("the body is not a JSON object");
        }
        for (String field : List.of("id", "type", "api_version")) {
            if (!(event.getValue(field) instanceof String)) {
                throw malformed("a Stripe event names its " + field);
            }
        }
        if (!(event.getValue("data") instanceof JsonObject data) || !(data.getValue("object") instanceof JsonObject)) {
            throw malformed("a Stripe event's data.object is an object");
        }
        try {
            return Webhook.constructEventWithoutVerification(payload);
        } catch (RuntimeException e) {
            throw malformed("the event does not have the shape of a Stripe event");
        }
    }

    /** The body as a JSON object, or null. */
    private static JsonObject readable(String payload) {
        try {
            Object value = Json.decodeValue(payload);
            return value instanceof JsonObject object ? object : null;
        } catch (DecodeException e) {
            return null;
        }
    }

    /** The body, unverified, to find its studio: an empty object when it is not a JSON object. */
    private static JsonObject unverified(String payload) {
        JsonObject event = readable(payload);
        return event == null ? new JsonObject() : event;
    }

    /** The studio our metadata on the event's object names, or null. */
    private static String metadataStudio(JsonObject event) {
        return event == null ? null : text(metadata(object(event)), StripePayments.STUDIO);
    }

    /** The studio an event belongs to: from our metadata on its object, else from what we recorded of it. */
    private Future<String> studioOf(JsonObject event) {
        JsonObject object = object(event);
        String studio = text(metadata(object), StripePayments.STUDIO);
        if (studio != null) {
            return Future.succeededFuture(studio);
        }
        String subscription = subscriptionId(object);
        if (subscription != null) {
            return store.ownerOfSubscriptionInAnyStudio(subscription).map(o -> o == null ? null : o.studioId());
        }
        String intent = text(object, "payment_intent");
        if (intent != null) {
            return store.ownerOfPaymentInAnyStudio(intent).map(o -> o == null ? null : o.studioId());
        }
        return Future.succeededFuture(null);
    }

    // Unverified JSON is read defensively: a member of another type than Stripe's counts as missing.

    private static JsonObject member(JsonObject object, String name) {
        return object.getValue(name) instanceof JsonObject member ? member : new JsonObject();
    }

    private static String text(JsonObject object, String name) {
        return object.getValue(name) instanceof String text ? text : null;
    }

    private static JsonObject object(JsonObject event) {
        return member(member(event, "data"), "object");
    }

    private static JsonObject metadata(JsonObject object) {
        JsonObject own = member(object, "metadata");
        if (own.containsKey(StripePayments.STUDIO)) {
            return own;
        }
        // An invoice carries its subscription's metadata.
        return member(member(member(object, "parent"), "subscription_details"), "metadata");
    }

    private static String subscriptionId(JsonObject object) {
        if ("subscription".equals(text(object, "object"))) {
            return text(object, "id");
        }
        String direct = text(object, "subscription");
        return direct != null ? direct : text(member(member(object, "parent"), "subscription_details"),
                "subscription");
    }

    /**
     * Applies a verified event. Everything the handlers read from it is read before they call the ledger, so an event
     * that is not what its type says (an object of another type, a field missing or of another type, an unknown
     * currency) is a 400 here, not a failure halfway.
     */
    private Future<String> applied(String studioId, Event event) {
        try {
            return handle(studioId, event);
        } catch (ApiProblem problem) {
            throw problem;
        } catch (RuntimeException e) {
            throw malformed("the " + event.getType() + " event does not carry what its type says");
        }
    }

    /** Applies the event; answers what it did. */
    private Future<String> handle(String studioId, Event event) {
        return switch (event.getType()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    checkoutCompleted(studioId, (Session) object(event));
            case "invoice.paid" -> invoicePaid(studioId, (Invoice) object(event));
            case "invoice.payment_failed" -> paymentFailed(studioId, (Invoice) object(event));
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
                 "customer.subscription.paused", "customer.subscription.resumed" ->
                    subscriptionChanged(studioId, event, (Subscription) object(event));
            case "charge.refunded" -> chargeRefunded(studioId, (Charge) object(event));
            default -> Future.succeededFuture("ignored");
        };
    }

    /** The event's object; one of another API version is read as it is. */
    private static StripeObject object(Event event) {
        var data = event.getDataObjectDeserializer();
        return data.getObject().orElseGet(() -> {
            try {
                return data.deserializeUnsafe();
            } catch (EventDataObjectDeserializationException e) {
                throw malformed("the event's object cannot be read");
            }
        });
    }

    private Future<String> checkoutCompleted(String studioId, Session session) {
        String purchaseId = purchaseOf(session.getMetadata(), session.getClientReferenceId());
        if (purchaseId == null) {
            throw malformed("the checkout session names no purchase");
        }
        if ("subscription".equals(session.getMode())) {
            // The subscription's payments arrive as invoices; here Stripe names the subscription.
            String subscription = session.getSubscription();
            return store.recordSubscription(studioId, subscription, purchaseId)
                    .compose(done -> host.ledger().subscriptionChanged(new LedgerService.SubscriptionChange(studioId,
                            "stripe", purchaseId, subscription, null, null, null, null)))
                    .map("subscription " + subscription);
        }
        if (!"paid".equals(session.getPaymentStatus()) && !"no_payment_required".equals(session.getPaymentStatus())) {
            return Future.succeededFuture("awaiting payment");
        }
        Money paid = money(session.getAmountTotal(), session.getCurrency());
        String intent = session.getPaymentIntent();
        Future<Void> recorded = intent == null ? Future.succeededFuture()
                : store.recordPayment(studioId, purchaseId, intent);
        return recorded.compose(done -> host.ledger().completePurchase(new LedgerService.CompletePurchase(studioId,
                        purchaseId, paid, intent != null ? intent : session.getId())))
                .map(purchase -> "purchase " + purchase.id() + " " + purchase.status());
    }

    private Future<String> invoicePaid(String studioId, Invoice invoice) {
        String subscription = subscriptionOf(invoice);
        if (subscription == null) {
            return Future.succeededFuture("ignored: not a subscription's invoice");
        }
        InvoiceLineItem line = invoice.getLines() == null || invoice.getLines().getData().isEmpty() ? null
                : invoice.getLines().getData().get(0);
        if (line == null || line.getPeriod() == null || line.getPeriod().getStart() == null
                || line.getPeriod().getEnd() == null) {
            throw malformed("the invoice has no billing period");
        }
        Instant start = Instant.ofEpochSecond(line.getPeriod().getStart());
        Instant end = Instant.ofEpochSecond(line.getPeriod().getEnd());
        String purchaseId = purchaseOf(invoice.getParent().getSubscriptionDetails().getMetadata(), null);
        Money paid = money(invoice.getAmountPaid(), invoice.getCurrency());
        String intent = paymentIntentOf(invoice);
        return owner(studioId, subscription, purchaseId).compose(first -> host.ledger().subscriptionPeriodPaid(
                        new LedgerService.SubscriptionPeriodPaid(studioId, "stripe", first, subscription, start, end,
                                paid, invoice.getId()))
                .compose(info -> (intent == null ? Future.<Void>succeededFuture()
                        : store.recordPayment(studioId, info.periodPurchaseId(), intent))
                        .compose(done -> store.recordSubscription(studioId, subscription, info.purchaseId()))
                        .map("period paid by " + info.periodPurchaseId())));
    }

    private Future<String> paymentFailed(String studioId, Invoice invoice) {
        String subscription = subscriptionOf(invoice);
        if (subscription == null) {
            return Future.succeededFuture("ignored: not a subscription's invoice");
        }
        String purchaseId = purchaseOf(invoice.getParent().getSubscriptionDetails().getMetadata(), null);
        return owner(studioId, subscription, purchaseId).compose(first -> host.ledger().subscriptionChanged(
                        new LedgerService.SubscriptionChange(studioId, "stripe", first, subscription,
                                SubscriptionStatus.PAST_DUE, null, null, null)))
                .map(info -> "subscription " + info.status().wireName());
    }

    private Future<String> subscriptionChanged(String studioId, Event event, Subscription subscription) {
        String purchaseId = purchaseOf(subscription.getMetadata(), null);
        SubscriptionStatus status = "customer.subscription.deleted".equals(event.getType())
                ? SubscriptionStatus.CANCELED : status(subscription.getStatus());
        SubscriptionItem item = subscription.getItems() == null || subscription.getItems().getData().isEmpty()
                ? null : subscription.getItems().getData().get(0);
        Instant start = item == null || item.getCurrentPeriodStart() == null ? null
                : Instant.ofEpochSecond(item.getCurrentPeriodStart());
        Instant end = item == null || item.getCurrentPeriodEnd() == null ? null
                : Instant.ofEpochSecond(item.getCurrentPeriodEnd());
        long created = event.getCreated() == null ? 0 : event.getCreated();
        return owner(studioId, subscription.getId(), purchaseId)
                .compose(first -> store.recordSubscription(studioId, subscription.getId(), first).map(first))
                .compose(first -> store.newestEvent(studioId, subscription.getId(), created).compose(newest -> !newest
                        ? Future.succeededFuture("older than the state applied")
                        : host.ledger().subscriptionChanged(new LedgerService.SubscriptionChange(studioId, "stripe",
                                        first, subscription.getId(), status, start, end,
                                        subscription.getCancelAtPeriodEnd()))
                                .map(info -> "subscription " + info.status().wireName())));
    }

    private Future<String> chargeRefunded(String studioId, Charge charge) {
        if (charge.getPaymentIntent() == null) {
            return Future.succeededFuture("ignored: no payment");
        }
        Money refunded = money(charge.getAmountRefunded(), charge.getCurrency());
        return store.ownerOfPayment(studioId, charge.getPaymentIntent()).compose(owner -> {
            if (owner == null || !owner.studioId().equals(studioId)) {
                return Future.succeededFuture("ignored: not a payment of Creditline's");
            }
            return host.ledger().refundedAtProvider(new LedgerService.RefundedAtProvider(studioId,
                            owner.purchaseId(), refunded, charge.getId()))
                    .map(purchase -> "purchase " + purchase.id() + " " + purchase.status());
        });
    }

    /** The first purchase of a subscription: from its metadata, or from what we recorded of it. */
    private Future<String> owner(String studioId, String subscription, String purchaseId) {
        if (purchaseId != null) {
            return Future.succeededFuture(purchaseId);
        }
        return store.ownerOfSubscription(studioId, subscription).map(owner -> {
            if (owner == null || !owner.studioId().equals(studioId)) {
                throw ApiProblem.notFound("subscription", "subscription " + subscription + " is not Creditline's");
            }
            return owner.purchaseId();
        });
    }

    private static String purchaseOf(Map<String, String> metadata, String fallback) {
        String purchase = metadata == null ? null : metadata.get(StripePayments.PURCHASE);
        return purchase != null ? purchase : fallback;
    }

    private static String subscriptionOf(Invoice invoice) {
        return invoice.getParent() == null || invoice.getParent().getSubscriptionDetails() == null ? null
                : invoice.getParent().getSubscriptionDetails().getSubscription();
    }

    private static String paymentIntentOf(Invoice invoice) {
        if (invoice.getPayments() == null || invoice.getPayments().getData() == null) {
            return null;
        }
        for (InvoicePayment payment : invoice.getPayments().getData()) {
            if (payment.getPayment() != null && payment.getPayment().getPaymentIntent() != null) {
                return payment.getPayment().getPaymentIntent();
            }
        }
        return null;
    }

    /** Stripe's subscription statuses in the ledger's terms. */
    static SubscriptionStatus status(String stripe) {
        return switch (stripe == null ? "" : stripe) {
            case "active", "trialing" -> SubscriptionStatus.ACTIVE;
            case "past_due", "unpaid" -> SubscriptionStatus.PAST_DUE;
            case "paused" -> SubscriptionStatus.PAUSED;
            case "canceled", "incomplete_expired" -> SubscriptionStatus.CANCELED;
            case "incomplete" -> SubscriptionStatus.PENDING;
            default -> {
                LOG.warn("Unknown Stripe subscription status {}; taken as past due", stripe);
                yield SubscriptionStatus.PAST_DUE;
            }
        };
    }

    private static Money money(Long minor, String currency) {
        if (minor == null || currency == null) {
            throw malformed("the event names no amount and currency");
        }
        try {
            return new Money(minor, Currency.getInstance(currency.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw malformed("the event's currency is not one: " + (currency.length() > 8 ? currency.substring(0, 8)
                    : currency));
        }
    }
}
