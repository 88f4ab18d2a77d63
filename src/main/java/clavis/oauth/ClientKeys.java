package clavis.oauth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import clavis.json.Json;
import clavis.jwt.JwkSet;
import clavis.jwt.PublicJwk;
import clavis.log.LogText;
import clavis.net.AddressPolicy;
import clavis.net.FetchException;
import clavis.net.Fetcher;

/**
 * A client's public keys: its registered {@code jwks}, or the JWK Set at its {@code jwks_uri} (RFC 7591 section 2).
 * A {@code jwks_uri} is fetched by a {@link Fetcher} (address policy, size cap, whole-fetch deadline) on a few
 * dedicated threads, never on the caller's; callers of one URI share one fetch and wait for it at most the deadline
 * plus {@link #WAIT_MARGIN_MILLIS}, and at most {@link #MAX_WAITING} callers wait at once, so fetches cannot hold the
 * threads that serve other clients. A set is cached for {@link #CACHE_SECONDS}; a key the cached set does not know
 * triggers one refetch, at most every {@link #REFETCH_SECONDS} seconds; failures are cached too, so a dead
 * {@code jwks_uri} is not hammered.
 */
public final class ClientKeys {
    static final long CACHE_SECONDS = 300;
    static final long REFETCH_SECONDS = 10;
    static final int MAX_CACHED = 10_000;
    /** The cache's bound on the fetched bodies it holds, summed; the oldest entries go first. */
    static final long MAX_CACHED_BYTES = 8L * 1024 * 1024;
    static final int FETCH_THREADS = 4;
    /** Fetches waiting for a thread; one more is refused (a failed fetch, not cached). */
    static final int FETCH_QUEUE = 64;
    /**
     * Callers that may wait for a fetch at once; the others get no keys at once. A waiting caller holds only its own
     * connection thread (no compute slot), and this keeps fetches from holding many of those.
     */
    static final int MAX_WAITING = 64;
    static final long WAIT_MARGIN_MILLIS = 500;

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger("clavis.oauth");

    private final Fetcher fetcher;
    private final long refetchSeconds;
    private final int maxWaiting;
    private final long maxCachedBytes;
    /** Oldest fetch first; guarded by itself. */
    private final LinkedHashMap<String, Fetched> cache = new LinkedHashMap<>();
    private long cachedBytes;
    private final ConcurrentHashMap<String, CompletableFuture<Fetched>> inFlight = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor fetchThreads;
    private final Semaphore waiting;

    /** A fetched key set, or why it could not be had ({@code bytes} is the body's size, 0 for a failure). */
    private record Fetched(List<PublicJwk> keys, long atNanos, int bytes) {
        boolean olderThan(long seconds) {
            return System.nanoTime() - atNanos > seconds * 1_000_000_000L;
        }
    }

    private static final Fetched NOTHING = new Fetched(List.of(), 0, 0);

    /** Client-supplied URLs with no allow-list, the JDK's resolver and trust store, a 3 s deadline. */
    public ClientKeys() {
        this(new Fetcher(AddressPolicy.CLIENT_URLS));
    }

    public ClientKeys(Fetcher fetcher) {
        this(fetcher, REFETCH_SECONDS, MAX_WAITING, MAX_CACHED_BYTES);
    }

    /**
     * @param refetchSeconds how soon an unknown key may trigger another fetch of the same jwks_uri
     * @param maxWaiting     how many callers may wait for fetches at once
     * @param maxCachedBytes the bound on the cached bodies' sizes, summed
     */
    ClientKeys(Fetcher fetcher, long refetchSeconds, int maxWaiting, long maxCachedBytes) {
        this.fetcher = fetcher;
        this.refetchSeconds = refetchSeconds;
        this.maxWaiting = maxWaiting;
        this.maxCachedBytes = maxCachedBytes;
        this.waiting = new Semaphore(maxWaiting);
        this.fetchThreads = new ThreadPoolExecutor(FETCH_THREADS, FETCH_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(FETCH_QUEUE), r -> {
            Thread t = new Thread(r, "clavis-fetch-" + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        fetchThreads.allowCoreThreadTimeOut(true); // most servers never fetch: no idle threads kept
    }

    /**
     * Whether one of the client's keys passes {@code test} (verifies a signature, matches a certificate): first the
     * keys at hand, then, when none does, the keys refetched from its jwks_uri (the client may have rotated).
     */
    public boolean anyKey(ClientMetadata metadata, java.util.function.Predicate<PublicJwk> test) {
        if (keys(metadata).stream().anyMatch(test)) return true;
        List<PublicJwk> refreshed = refreshed(metadata);
        return refreshed != null && refreshed.stream().anyMatch(test);
    }

    /** The client's keys (empty when it has none or its jwks_uri cannot be read). */
    public List<PublicJwk> keys(ClientMetadata metadata) {
        if (metadata.jwks() != null) return metadata.jwks().keys();
        return metadata.jwksUri() == null ? List.of() : keysAt(metadata.jwksUri());
    }

    /**
     * The keys again after a signature found no key: refetched from the {@code jwks_uri} (the client may have rotated)
     * unless that was done very recently; null when nothing new can be had.
     */
    public List<PublicJwk> refreshed(ClientMetadata metadata) {
        return metadata.jwksUri() == null ? null : refreshedAt(metadata.jwksUri());
    }

    /** Whether one of the keys at {@code uri} passes {@code test}, refetching once when none does (see {@link #anyKey}). */
    public boolean anyKeyAt(String uri, java.util.function.Predicate<PublicJwk> test) {
        if (keysAt(uri).stream().anyMatch(test)) return true;
        List<PublicJwk> refreshed = refreshedAt(uri);
        return refreshed != null && refreshed.stream().anyMatch(test);
    }

    /** The keys of the JWK Set at {@code uri}: cached, else fetched (empty when it cannot be read). */
    public List<PublicJwk> keysAt(String uri) {
        Fetched f = cached(uri);
        if (f == null || f.olderThan(CACHE_SECONDS)) f = fetch(uri);
        return f.keys();
    }

    private List<PublicJwk> refreshedAt(String uri) {
        Fetched f = cached(uri);
        if (f != null && !f.olderThan(refetchSeconds)) return null;
        return fetch(uri).keys();
    }

    /** Joins the fetch of {@code uri} under way, or starts one; waits for it within the deadline and the waiting bound. */
    private Fetched fetch(String uri) {
        CompletableFuture<Fetched> mine = new CompletableFuture<>();
        CompletableFuture<Fetched> running = inFlight.putIfAbsent(uri, mine);
        if (running == null) {
            running = mine;
            try {
                fetchThreads.execute(() -> run(uri, mine));
            } catch (RejectedExecutionException e) {
                warn(uri, "too many jwks_uri fetches at once");
                inFlight.remove(uri, mine);
                mine.complete(NOTHING); // not cached: the URI is not at fault
            }
        }
        if (!waiting.tryAcquire()) return NOTHING; // the fetch goes on and its result is cached for the next request
        try {
            return running.get(fetcher.deadline().toMillis() + WAIT_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NOTHING;
        } catch (ExecutionException | TimeoutException e) {
            return NOTHING;
        } finally {
            waiting.release();
        }
    }

    /** On a fetch thread: fetches, parses, caches, then hands the result to the callers waiting for it. */
    private void run(String uri, CompletableFuture<Fetched> result) {
        Fetched f = NOTHING;
        try {
            byte[] body = fetcher.get(uri);
            f = new Fetched(JwkSet.lenient(Json.parseObject(body)).keys(), System.nanoTime(), body.length);
        } catch (FetchException e) {
            warn(uri, e.reason());
        } catch (Json.MalformedJsonException | RuntimeException e) {
            warn(uri, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } finally {
            if (f == NOTHING) f = new Fetched(List.of(), System.nanoTime(), 0);
            put(uri, f);
            inFlight.remove(uri, result);
            result.complete(f);
        }
    }

    private Fetched cached(String uri) {
        synchronized (cache) {
            return cache.get(uri);
        }
    }

    /** Caches {@code f} as the newest entry, then drops the oldest ones while over a bound (never the new one). */
    private void put(String uri, Fetched f) {
        synchronized (cache) {
            Fetched old = cache.remove(uri);
            if (old != null) cachedBytes -= old.bytes();
            cache.put(uri, f);
            cachedBytes += f.bytes();
            Iterator<Fetched> oldest = cache.values().iterator();
            while ((cache.size() > MAX_CACHED || cachedBytes > maxCachedBytes) && cache.size() > 1) {
                cachedBytes -= oldest.next().bytes();
                oldest.remove();
            }
        }
    }

    /** The cached jwks_uris, oldest first: for tests. */
    List<String> cachedUris() {
        synchronized (cache) {
            return List.copyOf(cache.keySet());
        }
    }

    /** How many callers wait for a fetch now: for tests. */
    int waitingCallers() {
        return maxWaiting - waiting.availablePermits();
    }

    private static void warn(String uri, String reason) {
        LOG.log(System.Logger.Level.WARNING, "cannot read the jwks_uri " + LogText.escape(uri) + ": " + LogText.escape(reason));
    }

}
