package dev.creditline.api.spi;

import java.time.Instant;

/**
 * Something that happened to a member, as {@link MemberListener}s get it after it committed.
 *
 * @param id    increases with every event of the studio (an event delivered again has the same id)
 * @param type  {@code created}, {@code tagged} or {@code untagged}
 * @param tag   the tag added or removed, else null
 * @param at    the studio's time
 */
public record MemberEvent(long id, String studioId, String memberId, String type, String tag, Instant at) {
}
