/**
 * Writing a plugin: extend {@link dev.creditline.api.spi.CreditlinePlugin}, build a Dagger component on the
 * {@link dev.creditline.api.spi.PluginHost} the kernel gives you, and implement the extension points of this package
 * ({@link dev.creditline.api.spi.CreditPolicy}, {@link dev.creditline.api.spi.PaymentProvider},
 * {@link dev.creditline.api.spi.RefundPolicy}, {@link dev.creditline.api.spi.PenaltyPolicy},
 * {@link dev.creditline.api.spi.VoucherRule},
 * {@link dev.creditline.api.spi.AutomationTrigger}, {@link dev.creditline.api.spi.AutomationAction},
 * {@link dev.creditline.api.spi.Notifier}, {@link dev.creditline.api.spi.ReportExporter},
 * {@link dev.creditline.api.spi.LedgerListener}). The kernel calls an extension only for studios that enabled its
 * plugin, with a time limit; an extension that throws, hangs or answers nonsense fails the one request it serves.
 * docs/plugins.md walks through an example end to end.
 */
package dev.creditline.api.spi;
