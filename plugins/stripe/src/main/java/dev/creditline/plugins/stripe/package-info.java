/**
 * The Stripe payment provider: Checkout Sessions for packages (one payment) and subscriptions (recurring), signed
 * webhooks that confirm payments and report subscription changes, and money refunds, all with stripe-java.
 */
package dev.creditline.plugins.stripe;
