/**
 * The trainer-bound plugin: products bound to a trainer give lots that pay only for that trainer's schedulers, and a
 * leaving trainer's credits are transferred, extended or refunded.
 */
package dev.creditline.plugins.trainerbound;
