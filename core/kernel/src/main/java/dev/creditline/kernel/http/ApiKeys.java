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
    private final Pool pool;
    private final StudioRepository studios;
    private final Cache<ByteBuffer, KeyGrant> grants;
    /** Counts forgets: an answer read before one is not remembered after it. */
    private final AtomicLong forgets = new AtomicLong();

    @Inject
    public ApiKeys(Pool pool, StudioRepository studios, Config config) {
        this.pool = pool;
        this.studios = studios;
        this.grants = Caffeine.newBuilder()
                .expireAfterWrite(config.apiKeyCacheTtl())
                .maximumSize(config.apiKeyCacheTtl().isZero() ? 0 : 100_000)
                .build();
    }

    /** What the key with this SHA-256 grants, or null when it is unknown or revoked. */
    public Future<KeyGrant> find(byte[] keyHash) {
        ByteBuffer hash = ByteBuffer.wrap(keyHash);
        KeyGrant known = grants.getIfPresent(hash);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        long asOf = forgets.get();
        return studios.findKey(pool, keyHash).onSuccess(grant -> {
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
