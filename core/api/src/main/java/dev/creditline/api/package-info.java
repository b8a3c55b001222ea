/**
 * Value types shared by the ledger, the kernel and plugins: money, lots, schedulers, journal entry types and the
 * reasons a lot cannot pay for a booking.
 */
package dev.creditline.api;
