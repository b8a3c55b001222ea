package dev.creditline.plugins.stripe;

import dev.creditline.api.spi.CreditlinePlugin.SettingProblem;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A studio's Stripe settings.
 *
 * @param secretKey     the API key ({@code sk_live_...} or {@code sk_test_...}); a secret
 * @param webhookSecret the signing secret of the studio's webhook endpoint ({@code whsec_...}); a secret
 * @param apiBase       another Stripe-compatible server (a local test server), or null for Stripe's
 * @param successUrl    where Checkout sends the member after paying
 * @param cancelUrl     where Checkout sends the member who gives up
 */
record StripeSettings(String secretKey, String webhookSecret, String apiBase, String successUrl, String cancelUrl) {
    static final String DEFAULT_SUCCESS_URL = "https://creditline.invalid/checkout/success";
    static final String DEFAULT_CANCEL_URL = "https://creditline.invalid/checkout/cancel";

    static StripeSettings of(JsonObject settings) {
        return new StripeSettings(settings.getString("secretKey"), settings.getString("webhookSecret"),
                settings.getString("apiBase"), settings.getString("successUrl", DEFAULT_SUCCESS_URL),
                settings.getString("cancelUrl", DEFAULT_CANCEL_URL));
    }

    /** Every problem with the settings, each naming its setting. */
    static List<SettingProblem> problems(JsonObject settings) {
        List<SettingProblem> problems = new ArrayList<>();
        for (String name : settings.fieldNames()) {
            if (!List.of("secretKey", "webhookSecret", "apiBase", "successUrl", "cancelUrl").contains(name)) {
                problems.add(new SettingProblem(name, "is not a Stripe setting (secretKey, webhookSecret, apiBase,"
                        + " successUrl, cancelUrl)"));
            } else if (!(settings.getValue(name) instanceof String)) {
                problems.add(new SettingProblem(name, "must be a string"));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        String key = settings.getString("secretKey");
        if (key == null || !(key.startsWith("sk_") || key.startsWith("rk_")) || key.length() > 255) {
            problems.add(new SettingProblem("secretKey", "is required: the studio's Stripe secret key (sk_...)"));
        }
        String secret = settings.getString("webhookSecret");
        if (secret == null || !secret.startsWith("whsec_") || secret.length() > 255) {
            problems.add(new SettingProblem("webhookSecret",
                    "is required: the signing secret of the studio's webhook endpoint (whsec_...)"));
        }
        for (String url : List.of("apiBase", "successUrl", "cancelUrl")) {
            if (settings.getString(url) != null && !isWebUrl(settings.getString(url))) {
                problems.add(new SettingProblem(url, "must be an http(s) URL"));
            }
        }
        return problems;
    }

    private static boolean isWebUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
