package dev.creditline.plugins.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionCreateParams.LineItem;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData.Recurring;
import dev.creditline.api.Money;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.PaymentProvider;
import dev.creditline.api.spi.PluginHost;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import java.time.Period;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.threeten.extra.PeriodDuration;

/**
 * Stripe as a payment provider: a Checkout Session per purchase (a one-time payment for a package, a subscription for
 * a subscription product), refunds of the payment that paid a purchase, and cancellation of subscriptions at their
 * period's end. Every call carries a Stripe idempotency key derived from the purchase or subscription, so a retried
 * request makes the same call; stripe-java blocks, so it runs on a worker thread.
 */
@Extension
public final class StripePayments implements PaymentProvider {
    private static final Logger LOG = LoggerFactory.getLogger(StripePayments.class);
    /** What the metadata of every Stripe object we create names, so its webhooks find their way back. */
    static final String STUDIO = "creditline_studio";
    static final String PURCHASE = "creditline_purchase";
    static final String MEMBER = "creditline_member";

    private final PluginHost host;
    private final StripeClients clients;
    private final StripeStore store;

    @Inject
    StripePayments(PluginHost host, StripeClients clients, StripeStore store) {
        this.host = host;
        this.clients = clients;
        this.store = store;
    }

    @Override
    public String id() {
        return "stripe";
    }

    @Override
    public Future<Checkout> checkout(CheckoutRequest request) {
        return blocking(() -> {
            StripeSettings settings = clients.settings(request.studioId());
            PriceData.Builder price = PriceData.builder()
                    .setCurrency(request.price().currency().getCurrencyCode().toLowerCase(Locale.ROOT))
                    .setUnitAmount(request.price().minor())
                    .setProductData(PriceData.ProductData.builder().setName(request.productName())
                            .putMetadata("creditline_product", request.productId()).build());
            if (request.subscription()) {
                price.setRecurring(recurring(request.billingInterval()));
            }
            // The session, and the subscription or payment it makes, all name the studio, purchase and member.
            Map<String, String> metadata = Map.of(STUDIO, request.studioId(), PURCHASE, request.purchaseId(),
                    MEMBER, request.memberId());
            SessionCreateParams.Builder params = SessionCreateParams.builder()
                    .setMode(request.subscription() ? SessionCreateParams.Mode.SUBSCRIPTION
                            : SessionCreateParams.Mode.PAYMENT)
                    .setSuccessUrl(settings.successUrl())
                    .setCancelUrl(settings.cancelUrl())
                    .setClientReferenceId(request.purchaseId())
                    .putAllMetadata(metadata)
                    .addLineItem(LineItem.builder().setQuantity(1L).setPriceData(price.build()).build());
            if (request.subscription()) {
                params.setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                        .putAllMetadata(metadata).build());
            } else {
                params.setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putAllMetadata(metadata).build());
            }
            Session session = clients.client(request.studioId()).v1().checkout().sessions()
                    .create(params.build(), options(request.idempotencyKey()));
            if (session.getUrl() == null) {
                throw ApiProblem.conflict("stripe_no_checkout_url", "Stripe answered a session without a URL");
            }
            return new Checkout(session.getUrl(), session.getId());
        });
    }

    @Override
    public Future<MoneyRefund> refund(MoneyRefundRequest request) {
        return store.paymentOf(request.studioId(), request.purchaseId()).compose(intent -> {
            if (intent == null) {
                return Future.failedFuture(ApiProblem.conflict("stripe_payment_unknown", "no Stripe payment is"
                        + " recorded for purchase " + request.purchaseId() + "; refund it in Stripe's dashboard"));
            }
            RefundCreateParams params = RefundCreateParams.builder()
                    .setPaymentIntent(intent)
                    .setAmount(request.amount().minor())
                    .putMetadata(STUDIO, request.studioId())
                    .putMetadata(PURCHASE, request.purchaseId())
                    .build();
            return blocking(() -> clients.client(request.studioId()).v1().refunds()
                            .create(params, options(request.idempotencyKey())))
                    .compose(refund -> store.recordRefund(request.studioId(), refund.getId(), request.purchaseId())
                            .map(done -> moneyRefund(refund, request.amount())));
        });
    }

    private static MoneyRefund moneyRefund(Refund refund, Money asked) {
        long amount = refund.getAmount() == null ? asked.minor() : refund.getAmount();
        return new MoneyRefund(new Money(amount, asked.currency()), refund.getId());
    }

    @Override
    public Future<Void> cancelAtPeriodEnd(SubscriptionCancel request) {
        if (request.providerReference() == null) {
            return Future.failedFuture(ApiProblem.conflict("stripe_subscription_unknown", "Stripe has not named"
                    + " this subscription yet (its checkout is not completed)"));
        }
        return blocking(() -> clients.client(request.studioId()).v1().subscriptions().update(
                request.providerReference(), SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(true).build(),
                options(request.idempotencyKey()))).mapEmpty();
    }

    /** Stripe's recurring price of a billing interval: days, weeks, months or years. */
    static Recurring recurring(PeriodDuration interval) {
        Period p = interval.getPeriod().normalized();
        if (!interval.getDuration().isZero()) {
            throw ApiProblem.invalid("billingInterval", "Stripe bills by days, weeks, months or years");
        }
        Recurring.Builder recurring = Recurring.builder();
        if (p.getYears() > 0 && p.getMonths() == 0 && p.getDays() == 0) {
            return recurring.setInterval(Recurring.Interval.YEAR).setIntervalCount((long) p.getYears()).build();
        }
        if (p.toTotalMonths() > 0 && p.getDays() == 0) {
            return recurring.setInterval(Recurring.Interval.MONTH).setIntervalCount(p.toTotalMonths()).build();
        }
        if (p.toTotalMonths() == 0 && p.getDays() > 0 && p.getDays() % 7 == 0) {
            return recurring.setInterval(Recurring.Interval.WEEK).setIntervalCount((long) p.getDays() / 7).build();
        }
        if (p.toTotalMonths() == 0 && p.getDays() > 0) {
            return recurring.setInterval(Recurring.Interval.DAY).setIntervalCount((long) p.getDays()).build();
        }
        throw ApiProblem.invalid("billingInterval", "Stripe cannot bill every " + interval);
    }

    private static RequestOptions options(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    /** Runs a stripe-java call on a worker thread; Stripe's failures become problems the kernel can answer. */
    private <T> Future<T> blocking(Callable<T> call) {
        return host.vertx().<T>executeBlocking(() -> {
            try {
                return call.call();
            } catch (StripeException e) {
                throw problem(e);
            }
        }, false);
    }

    /**
     * 503 when Stripe cannot be reached or asks to slow down (retry later), 502 when it refused the call. What it
     * answered never reaches the client (the server behind {@code apiBase} may be anything); one line of the log
     * keeps it, cut short.
     */
    static ApiProblem problem(StripeException e) {
        boolean unavailable = e instanceof ApiConnectionException || e instanceof RateLimitException
                || (e.getStatusCode() != null && e.getStatusCode() >= 500);
        String said = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
        LOG.warn("Stripe call failed: HTTP {}, request {}, code {}: {}", e.getStatusCode(), e.getRequestId(),
                e.getCode(), said.length() > 300 ? said.substring(0, 300) + "..." : said);
        return unavailable
                ? new ApiProblem(503, "payment_provider_unavailable", "the payment provider is not reachable right"
                        + " now; retry with the same Idempotency-Key", null)
                : new ApiProblem(502, "payment_provider_failed", "the payment provider failed", null);
    }
}
