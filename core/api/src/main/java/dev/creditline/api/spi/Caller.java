package dev.creditline.api.spi;

import dev.creditline.api.Role;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;

/**
 * Who is calling: their studio (with its time for this request), role and, for athlete keys, member.
 *
 * @param studioId the studio
 * @param role     the key's role
 * @param memberId the athlete's member, or null
 * @param actor    the name written into journal entries
 * @param now      the studio's time (a test-mode studio's own clock)
 * @param zone     the studio's time zone
 * @param currency the studio's currency
 */
public record Caller(String studioId, Role role, String memberId, String actor, Instant now, ZoneId zone,
                     Currency currency) {
}
