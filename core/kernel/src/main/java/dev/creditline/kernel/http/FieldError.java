package dev.creditline.kernel.http;

/**
 * One bad field of a request, as listed in a problem's {@code errors}.
 *
 * @param field   the field's name or path, e.g. {@code "price.amount"} or {@code "tags[2]"}
 * @param message what is wrong with it
 */
public record FieldError(String field, String message) {
}
