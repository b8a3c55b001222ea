package dev.creditline.plugins.stripe;

import dev.creditline.api.spi.CreditlinePlugin.SettingProblem;
import dev.creditline.api.spi.PluginSetting;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A studio's Stripe settings, and the server's.
 *
 * @param secretKey     the API key ({@code sk_live_...} or {@code sk_test_...}); a secret
 * @param webhookSecret the signing secret of the studio's webhook endpoint ({@code whsec_...}); a secret
 * @param apiBase       another Stripe-compatible server (a local test server), or null for Stripe's: the operator's
 *                      setting, never a studio's (the server would call whatever a studio named)
 * @param successUrl    where Checkout sends the member after paying
 * @param cancelUrl     where Checkout sends the member who gives up
 */
record StripeSettings(String secretKey, String webhookSecret, String apiBase, String successUrl, String cancelUrl) {
    static final String DEFAULT_SUCCESS_URL = "https://creditline.invalid/checkout/success";
    static final String DEFAULT_CANCEL_URL = "https://creditline.invalid/checkout/cancel";

    /** What a studio sets. */
    static final List<PluginSetting> STUDIO = List.of(
            PluginSetting.string("secretKey", "the studio's Stripe secret key (sk_... or a restricted rk_...)")
                    .required(true).secret(true),
            PluginSetting.string("webhookSecret", "the signing secret of the studio's webhook endpoint (whsec_...)")
                    .required(true).secret(true),
            PluginSetting.url("successUrl", "where Checkout sends the member after paying")
                    .defaultValue(DEFAULT_SUCCESS_URL),
            PluginSetting.url("cancelUrl", "where Checkout sends the member who gives up")
                    .defaultValue(DEFAULT_CANCEL_URL));

    /** What only the operator sets (plugins.serverSettings.stripe). */
    static final List<PluginSetting> SERVER = List.of(
            PluginSetting.url("apiBase", "another Stripe-compatible server to call instead of Stripe's (tests, a"
                    + " local mock)"));

    static StripeSettings of(JsonObject studio, JsonObject server) {
        return new StripeSettings(studio.getString("secretKey"), studio.getString("webhookSecret"),
                server.getString("apiBase"), studio.getString("successUrl", DEFAULT_SUCCESS_URL),
                studio.getString("cancelUrl", DEFAULT_CANCEL_URL));
    }

    /** What the declaration cannot say: the keys' kinds. */
    static List<SettingProblem> problems(JsonObject settings) {
        List<SettingProblem> problems = new ArrayList<>();
        String key = settings.getString("secretKey");
        if (key != null && (!(key.startsWith("sk_") || key.startsWith("rk_")) || key.length() > 255)) {
            problems.add(new SettingProblem("secretKey", "must be the studio's Stripe secret key (sk_...)"));
        }
        String secret = settings.getString("webhookSecret");
        if (secret != null && (!secret.startsWith("whsec_") || secret.length() > 255)) {
            problems.add(new SettingProblem("webhookSecret",
                    "must be the signing secret of the studio's webhook endpoint (whsec_...)"));
        }
        return problems;
    }
}
