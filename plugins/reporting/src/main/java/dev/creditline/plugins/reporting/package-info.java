/**
 * The reporting plugin: {@code GET /v1/reports/summary} (credits and money of a period, the liability, breakage),
 * {@code GET /v1/reports/liability-by-expiry}, and the journal as CSV: {@code GET /v1/reports/credits.csv} (also the
 * {@code credits.csv} export) and {@code GET /v1/members/{id}/statement.csv}, streamed.
 */
package dev.creditline.plugins.reporting;
