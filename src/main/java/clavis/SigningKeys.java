package clavis;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
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

/**
 * The signing keys of every configured authorization server: loaded (or made) on a thread of their own while the
 * rest of the server starts, rehearsed once so that the first token finds its signer warm, and re-read
 * periodically so that a rotation made elsewhere (another node, an admin command), or one that is due, takes effect.
 */
final class SigningKeys {
    private static final System.Logger LOG = System.getLogger("clavis");

    /**
     * Keys for in-memory stores, made once per JVM: they die with their server anyway, and an RSA key costs 100 ms or
     * more to make, which a test suite that starts a server per class would pay again and again.
     */
    private static final Map<SigningAlgorithm, SigningKey> EPHEMERAL_KEYS = new ConcurrentHashMap<>();

    private SigningKeys() {
    }

    /** Starts loading every server's key ring; the result is ready once the keys are, the rehearsal goes on after. */
    static CompletableFuture<Map<String, KeyRing>> load(Config config, SigningKeyRepository keys, SecureRandom random, boolean ephemeral) {
        CompletableFuture<Map<String, KeyRing>> result = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            Map<String, KeyRing> rings = new LinkedHashMap<>();
            try {
                for (AuthorizationServerConfig as : config.authorizationServers().values()) {
                    rings.put(as.id(), ephemeral
                            ? ring(as, keys, config.clock(), random, alg -> EPHEMERAL_KEYS.computeIfAbsent(alg, a -> SigningKey.generate(a, random)))
                            : ring(as, keys, config.clock(), random));
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
