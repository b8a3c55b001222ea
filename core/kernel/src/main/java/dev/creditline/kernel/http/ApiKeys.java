package dev.creditline.kernel.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.creditline.kernel.boot.Config;
import dev.creditline.store.StudioRepository;
import dev.creditline.store.StudioRepository.KeyGrant;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds what an API key grants, remembering answers for a short while: every request carries a key, and asking
 * the database each time costs a query on the hot path of every booking.
 *
 * <p>Not remembered: unknown keys (nothing to grow on) and keys of test-mode studios (their clock moves by request,
 * and every request must see where it stands). A revocation on this server forgets the studio's keys at once;
 * other servers forget within the configured time.
 */
@Singleton
public final class ApiKeys {
    /** How often a key's use is written down at most (per key and server). */
    static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    private final Pool pool;
    private final StudioRepository studios;
    private final Cache<ByteBuffer, KeyGrant> grants;
    /** Keys whose use this server recorded within the last {@link #USE_RECORDED_EVERY}. */
    private final Cache<String, Boolean> recentlyRecorded;
    private final Clock clock;
    /** Counts forgets: an answer read before one is not remembered after it. */
    private final AtomicLong forgets = new AtomicLong();

    @Inject
    public ApiKeys(Pool pool, StudioRepository studios, Config config, Clock clock) {
        this.pool = pool;
        this.clock = clock;
        this.recentlyRecorded = Caffeine.newBuilder().expireAfterWrite(USE_RECORDED_EVERY).maximumSize(100_000).build();
        this.studios = studios;
        this.grants = Caffeine.newBuilder()
                .expireAfterWrite(config.apiKeyCacheTtl())
                .maximumSize(config.apiKeyCacheTtl().isZero() ? 0 : 100_000)
                .build();
    }

    /**
     * Records that a key was used ({@code lastUsedAt}), at most once per {@link #USE_RECORDED_EVERY} per key on this
     * server and in the background: a request never waits for it nor fails with it.
     */
    public void used(KeyGrant grant) {
        String key = grant.studio().id() + "/" + grant.keyId();
        if (recentlyRecorded.asMap().putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        try {
            studios.keyUsed(pool, grant.studio().id(), grant.keyId(), clock.instant())
                    .onFailure(e -> LOG.warn("could not record the use of API key {}", grant.keyId(), e));
        } catch (RuntimeException e) {
            LOG.warn("could not record the use of API key {}", grant.keyId(), e);
        }
    }

    /** Whether this server already knows the key with this SHA-256 (answers it from memory). */
    public boolean known(byte[] keyHash) {
        return grants.getIfPresent(ByteBuffer.wrap(keyHash)) != null;
    }

    /**
     * What the key grants, or null when it is unknown or revoked. A key names its studio ({@code clk_<studio>.…})
     * and is looked up there; a key from before that is looked up in every studio.
     */
    public Future<KeyGrant> find(String key, byte[] keyHash) {
        ByteBuffer hash = ByteBuffer.wrap(keyHash);
        KeyGrant known = grants.getIfPresent(hash);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        long asOf = forgets.get();
        String studioId = StudioSecrets.studioOf(key, StudioSecrets.API_KEY);
        Future<KeyGrant> found = studioId != null ? studios.findKey(pool, studioId, keyHash)
                : studios.findKeyOfAnyStudio(pool, keyHash);
        return found.onSuccess(grant -> {
            if (grant != null && !grant.studio().testMode() && forgets.get() == asOf) {
                grants.put(hash, grant);
            }
        });
    }

    /** Forgets what this server remembers of a studio's keys (after a revocation committed). */
    public void forgetStudio(String studioId) {
        forgets.incrementAndGet();
        grants.asMap().values().removeIf(grant -> grant.studio().id().equals(studioId));
    }
}
