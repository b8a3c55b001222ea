/** The standard money refund policy, as a {@link dev.creditline.api.spi.RefundPolicy} a studio enables. */
package dev.creditline.plugins.refunds;
