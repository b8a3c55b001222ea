/**
 * The vouchers plugin: codes with a percent or fixed discount on purchases (the lot's cost basis is the discounted
 * price), free credits and free packages, limited by total redemptions, once per member, a validity window and the
 * products they apply to — enforced under concurrency by locking the voucher's row.
 */
package dev.creditline.plugins.vouchers;
