package dev.creditline.api.spi;

import io.vertx.core.json.JsonObject;

/**
 * A message for a member.
 *
 * @param studioId the studio
 * @param memberId the member, or null for a message to a person who is no member (a staff invitation); a
 *                 notifier finds the address in {@code data.email} either way
 * @param kind     what it is about, e.g. {@code expiry_warning}
 * @param subject  a subject line
 * @param text     the message
 * @param data     details a notifier may use (lots, dates)
 * @param key      identifies the notification: the same key is the same notification (deduplicate on it)
 */
public record Notification(String studioId, String memberId, String kind, String subject, String text,
                           JsonObject data, String key) {
}
