package clavis;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import clavis.config.AuthorizationServerConfig;
import clavis.config.Config;
import clavis.jwt.KeyRing;
import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKey;
import clavis.jwt.SigningKeyRepository;
import clavis.oauth.Actor;
import clavis.oauth.Audit;
import clavis.oauth.AuthorizationServer;
import clavis.store.Store;

/**
 * The signing keys of every configured authorization server: loaded (or made) on a thread of their own while the
 * rest of the server starts, rehearsed once so that the first token finds its signer warm, and re-read
 * periodically so that a rotation made elsewhere (another node, an admin command), or one that is due, takes effect.
 */
final class SigningKeys {
    private static final System.Logger LOG = System.getLogger("clavis");

    /**
     * Keys for in-memory stores, made once per JVM and handed out in order within each server: they die with their
     * server anyway, and an RSA key costs 100 ms or more to make, which a test suite that starts a server per class
     * would pay again and again. Within one server each authorization server gets a key of its own (one key for two
     * would both collide in the store and let one's tokens verify at the other's JWKS).
     */
    static final class EphemeralKeys {
        private static final Map<SigningAlgorithm, List<SigningKey>> MADE = new ConcurrentHashMap<>();

        private final SecureRandom random;
        private final Map<SigningAlgorithm, Integer> taken = new HashMap<>();

        EphemeralKeys(SecureRandom random) {
            this.random = random;
        }

        /** For a server on an in-memory store, its keys, being made ahead ({@link #prepare}); null for any other store. */
        static EphemeralKeys forStore(Config config, SecureRandom random) {
            if (!Store.isInMemory(config.storeUrl())) return null;
            EphemeralKeys keys = new EphemeralKeys(random);
            keys.prepare(config.authorizationServers().values().stream().map(AuthorizationServerConfig::signingAlgorithm).toList());
            return keys;
        }

        /**
         * Makes, on a thread of its own, the keys the next server will take for {@code algorithms} (one per
         * authorization server) that this JVM has not made yet: a key costs tens of milliseconds in a cold JVM, and
         * needs no store, so it is made while the port is bound and the store opened.
         */
        void prepare(List<SigningAlgorithm> algorithms) {
            Thread t = new Thread(() -> {
                Map<SigningAlgorithm, Integer> wanted = new HashMap<>();
                try {
                    for (SigningAlgorithm alg : algorithms) ensure(alg, wanted.merge(alg, 1, Integer::sum));
                } catch (RuntimeException e) {
                    // next() meets the same failure and reports it
                }
            }, "clavis-keys-ahead");
            t.setDaemon(true);
            t.start();
        }

        private SigningKey ensure(SigningAlgorithm algorithm, int count) {
            List<SigningKey> made = MADE.computeIfAbsent(algorithm, a -> new ArrayList<>());
            synchronized (made) {
                while (made.size() < count) made.add(SigningKey.generate(algorithm, random));
                return made.get(count - 1);
            }
        }

        /** The next key of {@code algorithm} that this server has not handed out yet. */
        synchronized SigningKey next(SigningAlgorithm algorithm) {
            return ensure(algorithm, taken.merge(algorithm, 1, Integer::sum));
        }
    }

    private SigningKeys() {
    }

    /**
     * Starts loading every server's key ring; the result is ready once the keys are, the rehearsal goes on after.
     *
     * @param ephemeral where new keys come from for an in-memory store, or null to make them
     */
    static CompletableFuture<Map<String, KeyRing>> load(Config config, SigningKeyRepository keys, SecureRandom random, EphemeralKeys ephemeral) {
        CompletableFuture<Map<String, KeyRing>> result = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            Map<String, KeyRing> rings = new LinkedHashMap<>();
            try {
                for (AuthorizationServerConfig as : config.authorizationServers().values()) {
                    rings.put(as.id(), ring(as, keys, config.clock(), random, ephemeral));
                }
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(rings);
            try {
                for (KeyRing ring : rings.values()) ring.signer().key().rehearse();
            } catch (RuntimeException e) {
                // only a warm-up: a token request that meets the same failure reports it
            }
        }, "clavis-keys-load");
        loader.setDaemon(true);
        loader.start();
        return result;
    }

    /** As below; with {@code ephemeral} (an in-memory store), not null, a new key is the next one this JVM made. */
    static KeyRing ring(AuthorizationServerConfig as, SigningKeyRepository keys, Clock clock, SecureRandom random, EphemeralKeys ephemeral) {
        return ephemeral != null ? ring(as, keys, clock, random, ephemeral::next) : ring(as, keys, clock, random);
    }

    /** The key ring of one authorization server, making its first key when it has none. */
    static KeyRing ring(AuthorizationServerConfig as, SigningKeyRepository keys, Clock clock, SecureRandom random) {
        return ring(as, keys, clock, random, alg -> SigningKey.generate(alg, random));
    }

    private static KeyRing ring(AuthorizationServerConfig as, SigningKeyRepository keys, Clock clock, SecureRandom random,
                                java.util.function.Function<SigningAlgorithm, SigningKey> generator) {
        return KeyRing.load(keys, as.id(), as.signingAlgorithm(), as.tokenType().header(), as.tokenLifetimeSeconds(),
                as.keyRotationSeconds(), clock, random, generator);
    }

    /** The value of {@code future}, or the exception it failed with, as thrown there. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }

    /** Re-reads every server's keys this often (the client cache lifetime, at least a second); audits the rotations it makes. */
    static ScheduledExecutorService refreshEvery(int seconds, Collection<AuthorizationServer> servers, Audit audit) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clavis-keys");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, seconds);
        s.scheduleWithFixedDelay(() -> {
            for (AuthorizationServer as : servers) {
                try {
                    String rotated = as.keys().refresh();
                    if (rotated != null) audit.record(Audit.Event.KEY_ROTATED, as.id(), Actor.SERVER, "kid", rotated, "reason", "key-rotation-seconds");
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot refresh the signing keys of " + as.id() + ": " + e.getMessage());
                }
            }
        }, period, period, TimeUnit.SECONDS);
        return s;
    }
}
