/** Benchmarks of a running Creditline server: booking load against pgbench, cost growth, expiry sweeps. */
package dev.creditline.bench;
