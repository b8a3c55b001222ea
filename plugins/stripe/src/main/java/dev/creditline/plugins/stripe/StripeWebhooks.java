package dev.creditline.plugins.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/stripe}: Stripe's events, verified with the studio's signing secret (stripe-java's
 * {@link Webhook#constructEvent}, with a tolerance for clock skew), and turned into ledger commands. The studio is
 * found from the metadata we put on every Stripe object, or from the objects we recorded; a replayed event changes
 * nothing, events may come in any order, and types we do not handle are acknowledged and ignored.
 */
@Singleton
final class StripeWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger(StripeWebhooks.class);
    /** Seconds a signature's timestamp may be off: Stripe's own default. */
    static final long TOLERANCE = Webhook.DEFAULT_TOLERANCE;

    private final PluginHost host;
    private final PluginHttp http;
    private final StripeStore store;

    @Inject
    StripeWebhooks(PluginHost host, StripeStore store) {
        this.host = host;
        this.http = host.http();
        this.store = store;
    }

    void register() {
        http.routes(router -> router.webhook(HttpMethod.POST, "").handler(this::receive));
    }

    private void receive(RoutingContext ctx) {
        String payload = ctx.body().asString();
        String signature = ctx.request().getHeader("Stripe-Signature");
        if (payload == null || signature == null) {
            ctx.fail(new ApiProblem(400, "invalid_signature", "a Stripe event needs its body and its"
                    + " Stripe-Signature header", "Stripe-Signature"));
            return;
        }
        JsonObject unverified;
        try {
            unverified = new JsonObject(payload);
        } catch (DecodeException | ClassCastException e) {
            ctx.fail(new ApiProblem(400, "malformed_event", "the body is not a Stripe event", null));
            return;
        }
        http.respond(ctx, studioOf(unverified).compose(studioId -> {
            if (studioId == null) {
                // Not an object of Creditline's (Stripe sends every event of the account): nothing to do.
                return Future.succeededFuture(reply("ignored", "no Creditline object"));
            }
            Event event = verified(studioId, payload, signature);
            return store.handled(studioId, event.getId()).compose(handled -> handled
                    ? Future.succeededFuture(reply("duplicate", event.getId()))
                    : handle(studioId, event)
                            .compose(outcome -> store.recordEvent(studioId, event.getId(), event.getType())
                                    .map(done -> reply(outcome, event.getId()))));
        }));
    }

    private static PluginHttp.Reply reply(String outcome, String detail) {
        return new PluginHttp.Reply(200, new JsonObject().put("received", true).put("outcome", outcome)
                .put("detail", detail));
    }

    /** The event, if the studio's signing secret verifies it; 400 otherwise. */
    private Event verified(String studioId, String payload, String signature) {
        String secret = StripeSettings.of(host.settings().forStudio(studioId), host.settings().server()).webhookSecret();
        if (secret == null) {
            throw ApiProblem.conflict("stripe_not_configured", "the studio has no Stripe webhook secret");
        }
        try {
            return Webhook.constructEvent(payload, signature, secret, TOLERANCE, host.clock());
        } catch (SignatureVerificationException e) {
            throw new ApiProblem(400, "invalid_signature", "the Stripe-Signature does not verify: "
                    + e.getMessage(), "Stripe-Signature");
        }
    }

    /** The studio an event belongs to: from our metadata on its object, else from what we recorded of it. */
    private Future<String> studioOf(JsonObject event) {
        JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
        String studio = metadata(object).getString(StripePayments.STUDIO);
        if (studio != null) {
            return Future.succeededFuture(studio);
        }
        String subscription = subscriptionId(object);
        if (subscription != null) {
            return store.ownerOfSubscription(subscription).map(o -> o == null ? null : o.studioId());
        }
        String intent = object.getValue("payment_intent") instanceof String pi ? pi : null;
        if (intent != null) {
            return store.ownerOfPayment(intent).map(o -> o == null ? null : o.studioId());
        }
        return Future.succeededFuture(null);
    }

    private static JsonObject metadata(JsonObject object) {
        JsonObject own = object.getJsonObject("metadata");
        if (own != null && own.containsKey(StripePayments.STUDIO)) {
            return own;
        }
        // An invoice carries its subscription's metadata.
        JsonObject details = object.getJsonObject("parent", new JsonObject())
                .getJsonObject("subscription_details", new JsonObject());
        return details.getJsonObject("metadata", new JsonObject());
    }

    private static String subscriptionId(JsonObject object) {
        if ("subscription".equals(object.getString("object"))) {
            return object.getString("id");
        }
        Object direct = object.getValue("subscription");
        if (direct instanceof String id) {
            return id;
        }
        Object nested = object.getJsonObject("parent", new JsonObject())
                .getJsonObject("subscription_details", new JsonObject()).getValue("subscription");
        return nested instanceof String id ? id : null;
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
                throw new ApiProblem(400, "malformed_event", "cannot read the event's object: " + e.getMessage(),
                        null);
            }
        });
    }

    private Future<String> checkoutCompleted(String studioId, Session session) {
        String purchaseId = purchaseOf(session.getMetadata(), session.getClientReferenceId());
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
        if (line == null || line.getPeriod() == null) {
            throw new ApiProblem(400, "malformed_event", "the invoice has no billing period", null);
        }
        String purchaseId = purchaseOf(invoice.getParent().getSubscriptionDetails().getMetadata(), null);
        Money paid = money(invoice.getAmountPaid(), invoice.getCurrency());
        String intent = paymentIntentOf(invoice);
        return owner(studioId, subscription, purchaseId).compose(first -> host.ledger().subscriptionPeriodPaid(
                        new LedgerService.SubscriptionPeriodPaid(studioId, "stripe", first, subscription,
                                Instant.ofEpochSecond(line.getPeriod().getStart()),
                                Instant.ofEpochSecond(line.getPeriod().getEnd()), paid, invoice.getId()))
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
                .compose(first -> store.newestEvent(subscription.getId(), created).compose(newest -> !newest
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
        return store.ownerOfPayment(charge.getPaymentIntent()).compose(owner -> {
            if (owner == null || !owner.studioId().equals(studioId)) {
                return Future.succeededFuture("ignored: not a payment of Creditline's");
            }
            Money refunded = money(charge.getAmountRefunded(), charge.getCurrency());
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
        return store.ownerOfSubscription(subscription).map(owner -> {
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
            throw new ApiProblem(400, "malformed_event", "the event names no amount and currency", null);
        }
        return new Money(minor, Currency.getInstance(currency.toUpperCase(Locale.ROOT)));
    }
}
