/** Start-up: configuration, the Dagger graph, the HTTP server and the command-line entry point. */
package dev.creditline.kernel.boot;
