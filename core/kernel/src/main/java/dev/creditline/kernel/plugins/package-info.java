/**
 * The plugin platform: PF4J loads plugins, each builds its Dagger component on its {@link
 * dev.creditline.kernel.plugins.KernelPluginHost}, and the kernel calls their extensions — only for studios that
 * enabled them, each call contained ({@link dev.creditline.kernel.plugins.ContainedCalls}). The ports of the store
 * (policies, vouchers, payments, refunds, outbox) are implemented here with the enabled plugins.
 */
package dev.creditline.kernel.plugins;
