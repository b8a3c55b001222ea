/**
 * The HTTP API of API.md: one {@link dev.creditline.kernel.http.Routes} class per resource, JSON in and out through
 * {@link dev.creditline.kernel.http.Input} and {@link dev.creditline.kernel.http.Views}, errors as problem+json,
 * changes through {@link dev.creditline.kernel.http.Writes}.
 */
package dev.creditline.kernel.http;
