package clavis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import clavis.oauth.Client;
import clavis.oauth.ClientMetadata;
import clavis.oauth.Secrets;

/** The token path's client cache keeps little, forgets what expired, and stays within its bounds. */
class CachingClientRepositoryTest {
    private static final long LIFETIME_MILLIS = 1000;

    private final Database db = Database.open("jdbc:sqlite::memory:");
    private final JdbcClientRepository stored = new JdbcClientRepository(db);
    private long now = 1_000_000_000L;

    @AfterEach
    void close() {
        db.close();
    }

    private CachingClientRepository cache(int maxEntries, long maxBytes) {
        return new CachingClientRepository(stored, LIFETIME_MILLIS, maxEntries, maxBytes, () -> now);
    }

    private void later(long millis) {
        now += millis * 1_000_000;
    }

    private static String longUri(int n) {
        return "https://client.example/" + String.valueOf((char) ('a' + n % 26)).repeat(2000);
    }

    /** A client with every descriptive member near its bound, and what the token path reads. */
    private Client register(String clientId) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("client_name", "n".repeat(2048));
        request.put("client_name#de", "n".repeat(2048));
        request.put("client_uri", longUri(1));
        request.put("logo_uri", longUri(2));
        request.put("tos_uri", longUri(3));
        request.put("policy_uri", longUri(4));
        request.put("software_version", "v".repeat(2048));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) many.add(longUri(i));
        request.put("redirect_uris", many);
        request.put("contacts", many);
        request.put("software_id", "billing");
        request.put("scope", "a b");
        request.put("token_endpoint_auth_method", "client_secret_post");
        request.put("dpop_bound_access_tokens", true);
        Client client = new Client(clientId, "myAS", Secrets.hash("secret-" + clientId), Secrets.hash("rat-" + clientId),
                ClientMetadata.parse(request), 1, 0, false, clavis.oauth.ClientTokens.NONE);
        stored.insert(client, 0);
        return client;
    }

    @Test
    void aCachedClientKeepsOnlyWhatTheTokenPathReads() {
        CachingClientRepository cache = cache(CachingClientRepository.MAX_ENTRIES, CachingClientRepository.MAX_BYTES);
        Client registered = register("c1");
        Client cached = cache.find("myAS", "c1").orElseThrow();
        assertEquals(Map.of("scope", "a b", "token_endpoint_auth_method", "client_secret_post", "grant_types", List.of("client_credentials"),
                "dpop_bound_access_tokens", true, "software_id", "billing"), cached.metadata().toJson());
        assertEquals(registered.secretHash(), cached.secretHash());
        assertEquals(registered.scope(), cached.scope());
        assertTrue(CachingClientRepository.estimatedBytes(cached) < 2_000, "a few hundred bytes, not the 60 KB registered");
        assertEquals(registered.metadata().toJson(), cache.find("c1").orElseThrow().metadata().toJson(),
                "every other read is the registration as stored");
    }

    @Test
    void expiredEntriesAreRemovedNotJustIgnored() {
        CachingClientRepository cache = cache(CachingClientRepository.MAX_ENTRIES, CachingClientRepository.MAX_BYTES);
        for (int i = 0; i < 5; i++) cache.find("myAS", register("c" + i).clientId());
        assertEquals(5, cache.size());
        later(LIFETIME_MILLIS);
        cache.find("myAS", register("fresh").clientId());
        assertEquals(1, cache.size(), "the five expired entries left with the next change");
        long oneEntry = cache.bytes();
        assertTrue(oneEntry > 0);
        later(LIFETIME_MILLIS - 1);
        cache.find("myAS", "unknown");
        assertEquals(1, cache.size(), "an entry lives for its whole lifetime");
        assertEquals(oneEntry, cache.bytes());
    }

    @Test
    void pastTheByteBoundTheEldestEntriesMakeRoom() {
        Client probe = register("probe");
        long entry = CachingClientRepository.estimatedBytes(probe.forTokenPath());
        CachingClientRepository cache = cache(CachingClientRepository.MAX_ENTRIES, 3 * entry + entry / 2);
        for (int i = 0; i < 10; i++) {
            cache.find("myAS", register("c" + i).clientId());
            later(1);
        }
        assertEquals(3, cache.size());
        assertTrue(cache.bytes() <= 3 * entry + entry / 2);
        Optional<Client> newest = cache.find("myAS", "c9");
        assertTrue(newest.isPresent());
        assertEquals(3, cache.size(), "the newest were kept: c9 was a hit, so nothing changed");
    }

    @Test
    void pastTheCountBoundTheEldestEntriesMakeRoomAndTheCacheIsNeverCleared() {
        CachingClientRepository cache = cache(3, CachingClientRepository.MAX_BYTES);
        for (int i = 0; i < 10; i++) {
            cache.find("myAS", register("c" + i).clientId());
            assertEquals(Math.min(i + 1, 3), cache.size());
            later(1);
        }
        stored.delete("c8"); // behind the cache's back: a hit still answers from memory
        assertTrue(cache.find("myAS", "c8").isPresent(), "c8 is among the three kept");
    }

    @Test
    void aClientLargerThanTheWholeBoundIsStillCachedAlone() {
        CachingClientRepository cache = cache(CachingClientRepository.MAX_ENTRIES, 1);
        cache.find("myAS", register("c1").clientId());
        cache.find("myAS", register("c2").clientId());
        assertEquals(1, cache.size());
        stored.delete("c2");
        assertTrue(cache.find("myAS", "c2").isPresent());
    }

    @Test
    void aChangeThroughThisNodeIsSeenAtOnce() {
        CachingClientRepository cache = cache(CachingClientRepository.MAX_ENTRIES, CachingClientRepository.MAX_BYTES);
        Client c = register("c1");
        assertNotNull(cache.find("myAS", "c1").orElseThrow());
        cache.update(c.withSecret(Secrets.hash("new secret"), 0));
        assertEquals(Secrets.hash("new secret"), cache.find("myAS", "c1").orElseThrow().secretHash());
        assertTrue(cache.delete("c1"));
        assertFalse(cache.find("myAS", "c1").isPresent());
        assertEquals(0, cache.size());
        assertEquals(0, cache.bytes());
        assertFalse(cache.find("otherAS", register("c2").clientId()).isPresent(), "another server's client is not found");
    }
}
