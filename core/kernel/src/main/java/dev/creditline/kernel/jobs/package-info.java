/** Time-driven work: the expiry sweep, run periodically and when a test clock moves. */
package dev.creditline.kernel.jobs;
