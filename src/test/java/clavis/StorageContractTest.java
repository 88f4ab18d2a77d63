package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import clavis.jwt.KeyRing;
import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKeyRepository;
import clavis.jwt.StoredKey;
import clavis.oauth.Client;
import clavis.oauth.ClientMetadata;
import clavis.oauth.Secrets;
import clavis.oauth.ClientRepository;
import clavis.oauth.ClientTokens;
import clavis.oauth.InitialAccessTokenRepository;
import clavis.oauth.RevokedTokenRepository;
import clavis.oauth.UsedJtiRepository;
import clavis.oauth.UsedJtiRepository.Use;
import clavis.store.Database;
import clavis.store.JdbcClientRepository;
import clavis.store.JdbcInitialAccessTokenRepository;
import clavis.store.JdbcUsedJtiRepository;
import clavis.store.JdbcStore;
import clavis.store.MemoryStore;
import clavis.store.Store;
import clavis.store.StoreException;

/** One contract for the store, run against memory, SQLite and PostgreSQL alike (what only a database has, against the two databases). */
class StorageContractTest {
    @TempDir
    Path dir;

    private static Client client(String id, String as) {
        return client(id, as, false);
    }

    private static Client client(String id, String as, boolean dynamic) {
        return new Client(id, as, Secrets.hash("secret-" + id), Secrets.hash("rat-" + id),
                ClientMetadata.parse(Map.of("client_name", id, "scope", "a b")), 1_700_000_000L, 0, dynamic, clavis.oauth.ClientTokens.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void clientsAreInsertedFoundUpdatedAndDeleted(String kind) {
        try (Store store = store(kind)) {
            ClientRepository clients = store.clients();
            clients.insert(client("c1", "as1"), 0);
            clients.insert(client("c2", "as2"), 0);
            assertEquals("a b", clients.find("as1", "c1").orElseThrow().scope().toString());
            assertTrue(clients.find("as2", "c1").isEmpty(), "a client belongs to one authorization server");
            assertEquals("as2", clients.find("c2").orElseThrow().asId());
            assertEquals(List.of("c1", "c2"), clients.all().stream().map(Client::clientId).toList());

            Client updated = clients.find("as1", "c1").orElseThrow()
                    .withMetadata(ClientMetadata.parse(Map.of("client_name", "renamed", "scope", "a")), Secrets.hash("new-rat"))
                    .withSecret(Secrets.hash("new-secret"), 1_800_000_000L);
            assertTrue(clients.update(updated));
            Client read = clients.find("as1", "c1").orElseThrow();
            assertEquals("renamed", read.metadata().toJson().get("client_name"));
            assertTrue(Secrets.matches("new-secret", read.secretHash()));
            assertTrue(Secrets.matches("new-rat", read.registrationTokenHash()));
            assertEquals(1_800_000_000L, read.secretExpiresAt());

            assertTrue(clients.delete("c1"));
            assertFalse(clients.delete("c1"));
            assertFalse(clients.update(updated), "an update of a deleted client changes nothing");
            assertTrue(clients.find("as1", "c1").isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void dynamicClientsStopAtTheCapOfTheirServerAndOperatorsClientsAreNotCounted(String kind) throws Exception {
        try (Store store = store(kind)) {
            ClientRepository clients = store.clients();
            assertTrue(clients.insert(client("operator-1", "as", false), 2), "an operator's client is not counted");
            assertTrue(clients.insert(client("d1", "as", true), 2));
            assertTrue(clients.insert(client("d2", "as", true), 2));
            assertFalse(clients.insert(client("d3", "as", true), 2), "the cap is reached");
            assertTrue(clients.find("d3").isEmpty(), "nothing is stored past the cap");
            assertTrue(clients.insert(client("operator-2", "as", false), 2), "operators are never capped");
            assertTrue(clients.insert(client("other", "as2", true), 2), "the cap is per authorization server");
            assertTrue(clients.insert(client("uncapped", "as", true), 0), "0 is no cap");

            assertTrue(clients.delete("d1"));
            assertTrue(clients.delete("uncapped"));
            assertTrue(clients.delete("operator-1"), "deleting an operator's client frees nothing");
            assertTrue(clients.insert(client("d4", "as", true), 2), "a deleted dynamic client frees its place");
            assertFalse(clients.insert(client("d5", "as", true), 2));

            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Boolean>> racing = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "racer-" + i;
                racing.add(pool.submit(() -> clients.insert(client(id, "race", true), 10)));
            }
            int inserted = 0;
            for (Future<Boolean> f : racing) if (f.get()) inserted++;
            pool.shutdown();
            assertEquals(10, inserted, "writers racing for the last places never pass the cap together");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void whatMustBeUniqueIsRefusedAndNothingOfTheRefusedChangeStays(String kind) {
        try (Store store = store(kind)) {
            ClientRepository clients = store.clients();
            assertTrue(clients.insert(client("c1", "as1", true), 0));
            assertThrows(StoreException.class, () -> clients.insert(client("c1", "as2", true), 1), "a client_id is unique across servers");
            assertEquals("as1", clients.find("c1").orElseThrow().asId());
            assertTrue(clients.insert(client("c2", "as2", true), 1), "the refused client took no place under its server's cap");

            InitialAccessTokenRepository tokens = store.initialAccessTokens();
            tokens.insert("id1", "h1", "as", 1, 0, 1);
            assertThrows(StoreException.class, () -> tokens.insert("id2", "h1", "as", 1, 0, 1), "a token's hash is unique");
            assertThrows(StoreException.class, () -> tokens.insert("id1", "h2", "as", 1, 0, 1), "an id is unique within its server");
            tokens.insert("id1", "h3", "other", 1, 0, 1);
            assertEquals(List.of("id1"), tokens.page("as", null, 10).stream().map(clavis.oauth.InitialAccessToken::id).toList());
            assertEquals(Optional.of("id1"), tokens.consume("h3", "other", 2), "the same id in another server is another token");

            SigningKeyRepository keys = store.signingKeys();
            StoredKey first = new StoredKey("kid-1", "as", SigningAlgorithm.ES256, "{}", 100, 0);
            assertEquals(List.of(first), keys.update("as", current -> new SigningKeyRepository.Changes(List.of(first), List.of(), 0)));
            StoredKey next = new StoredKey("kid-2", "as", SigningAlgorithm.ES256, "{}", 200, 0);
            StoredKey taken = new StoredKey("kid-1", "other", SigningAlgorithm.ES256, "{}", 200, 0);
            assertThrows(StoreException.class,
                    () -> keys.update("as", current -> new SigningKeyRepository.Changes(List.of(next, taken), List.of("kid-1"), 150)),
                    "a kid is unique across servers");
            assertEquals(List.of(first), keys.newest("as", 100), "nothing of the refused change stays: neither its other key nor its retirement");
            assertEquals(List.of(), keys.newest("other", 100));
            List<StoredKey> rotated = keys.update("as", current -> new SigningKeyRepository.Changes(List.of(next), List.of("kid-1"), 150));
            assertEquals(List.of("kid-2", "kid-1"), rotated.stream().map(StoredKey::kid).toList(), "newest first");
            assertEquals(List.of(0L, 150L), rotated.stream().map(StoredKey::retiredAt).toList(), "the old key retired when the new one came");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void clientsAreListedByIssueTimeThenIdAndKeepWhatWasRegisteredThroughUpdates(String kind) {
        try (Store store = store(kind)) {
            ClientRepository clients = store.clients();
            ClientTokens tokens = new ClientTokens(600, Map.of("tenant", "t1", "roles", List.of("a", "b"), "level", 5), false);
            clients.insert(issued("b", 300, true, ClientTokens.NONE), 0);
            clients.insert(issued("c", 200, true, tokens), 0);
            clients.insert(issued("a", 200, false, ClientTokens.NONE), 0);
            assertEquals(List.of("a", "c", "b"), clients.all().stream().map(Client::clientId).toList(), "by issue time, then client_id");
            Client c = clients.find("as", "c").orElseThrow();
            assertEquals(tokens, c.tokens(), "a client's token lifetime, claims and token exchange are kept");

            ClientTokens changed = new ClientTokens(60, Map.of("tenant", "t2"), true);
            Client rewritten = new Client("c", "as", c.secretHash(), c.registrationTokenHash(), c.metadata(), 999, 0, false, changed);
            assertTrue(clients.update(rewritten));
            Client read = clients.find("c").orElseThrow();
            assertEquals(changed, read.tokens(), "an update changes the token settings");
            assertEquals(200, read.issuedAt(), "but not when the client was issued");
            assertTrue(read.dynamic(), "nor how it registered");
            assertFalse(clients.update(new Client("c", "other", c.secretHash(), "", c.metadata(), 200, 0, true, changed)),
                    "an update names the client's own server");
            assertEquals("as", clients.find("c").orElseThrow().asId());
        }
    }

    private static Client issued(String id, long issuedAt, boolean dynamic, ClientTokens tokens) {
        return new Client(id, "as", Secrets.hash("secret-" + id), Secrets.hash("rat-" + id), ClientMetadata.parse(Map.of("scope", "a")),
                issuedAt, 0, dynamic, tokens);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void expiryBoundariesAreTheSameEverywhere(String kind) {
        try (Store store = store(kind)) {
            UsedJtiRepository jtis = store.usedJtis();
            assertTrue(jtis.firstUse("k", 1_000, 900));
            assertFalse(jtis.firstUse("k", 2_000, 1_000), "still a replay at the second it expires");
            assertTrue(jtis.firstUse("k", 2_000, 1_001), "usable again the second after");

            RevokedTokenRepository revoked = store.revokedTokens();
            revoked.revoke("j", "as", 1_000, 900);
            revoked.revoke("x", "as", 5_000, 1_000);
            assertTrue(revoked.isRevoked("j"), "kept at the second its token expires");
            revoked.revoke("y", "as", 5_000, 1_001);
            assertFalse(revoked.isRevoked("j"), "forgotten after");

            InitialAccessTokenRepository tokens = store.initialAccessTokens();
            tokens.insert("id2", "h1", "as", 1, 1_000, -1);
            tokens.insert("id1", "h2", "as", 1, 0, -1);
            assertEquals(List.of("id1", "id2"), tokens.page("as", null, 10).stream().map(clavis.oauth.InitialAccessToken::id).toList(),
                    "listed by id, whatever their hashes");
            assertTrue(tokens.consume("h1", "as", 999).isPresent());
            assertTrue(tokens.consume("h1", "as", 1_000).isEmpty(), "an initial access token no longer works at the second it expires");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void keysAreReadLiveOrNewestFirstNotAllEverMade(String kind) {
        try (Store store = store(kind)) {
            SigningKeyRepository keys = store.signingKeys();
            List<StoredKey> made = new ArrayList<>();
            for (int i = 0; i < 6; i++) made.add(new StoredKey("kid-" + i, "as", SigningAlgorithm.ES256, "{}", 100 * (i + 1), i < 5 ? 100 * (i + 2) : 0));
            keys.update("as", current -> new SigningKeyRepository.Changes(made, List.of(), 0));
            keys.update("other", current -> new SigningKeyRepository.Changes(List.of(new StoredKey("kid-x", "other", SigningAlgorithm.ES256, "{}", 700, 0)),
                    List.of(), 0));
            // kid-0..kid-4 retired at 200..600 (kid-i at 100 * (i + 2)); kid-5, made at 600, is active.
            assertEquals(List.of("kid-5", "kid-4", "kid-3"), keys.live("as", 400).stream().map(StoredKey::kid).toList(),
                    "the active key and those retired after 400: not kid-2, retired at exactly 400");
            assertEquals(List.of("kid-5"), keys.live("as", 600).stream().map(StoredKey::kid).toList());
            assertEquals(List.of("kid-5", "kid-4"), keys.newest("as", 2).stream().map(StoredKey::kid).toList(), "the newest, retired or not");
            assertEquals(6, keys.newest("as", 100).size());
            assertEquals(List.of("kid-x"), keys.live("other", 0).stream().map(StoredKey::kid).toList(), "each server's own");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void aKeyChangeThatFailsLeavesTheKeysAsTheyWere(String kind) {
        try (Store store = store(kind)) {
            SigningKeyRepository keys = store.signingKeys();
            StoredKey first = new StoredKey("kid-1", "as", SigningAlgorithm.ES256, "{}", 100, 0);
            keys.update("as", current -> new SigningKeyRepository.Changes(List.of(first), List.of(), 0));
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> keys.update("as", current -> {
                throw new IllegalStateException("the change itself failed");
            }));
            assertEquals("the change itself failed", thrown.getMessage(), "the change's own exception, as it was thrown");
            StoredKey twice = new StoredKey("kid-2", "as", SigningAlgorithm.ES256, "{}", 200, 0);
            assertThrows(StoreException.class,
                    () -> keys.update("as", current -> new SigningKeyRepository.Changes(List.of(twice, twice), List.of("kid-1"), 150)),
                    "a kid inserted twice in one change");
            assertEquals(List.of(first), keys.newest("as", 100), "nothing of either change stays");
            assertEquals(2, keys.update("as", current -> new SigningKeyRepository.Changes(List.of(twice), List.of(), 0)).size(),
                    "and the store takes the next change");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void concurrentWritesAreAllCommitted(String kind) throws Exception {
        try (Store store = store(kind)) {
            ClientRepository clients = store.clients();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String id = "client-" + i;
                futures.add(pool.submit(() -> clients.insert(client(id, "as"), 0)));
            }
            futures.add(pool.submit(() -> clients.insert(client("client-7", "as"), 0))); // a duplicate fails alone
            int failures = 0;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures++;
                }
            }
            pool.shutdown();
            assertEquals(1, failures, "only the duplicate failed; the writes sharing its transaction did not");
            assertEquals(400, clients.all().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void revocationsAreIdempotentAndPrunedOnceExpired(String kind) {
        try (Store store = store(kind)) {
            RevokedTokenRepository revoked = store.revokedTokens();
            revoked.revoke("jti-1", "as", 2_000, 1_000);
            revoked.revoke("jti-1", "as", 2_000, 1_000);
            revoked.revoke("jti-2", "as", 1_500, 1_000);
            assertTrue(revoked.isRevoked("jti-1"));
            assertTrue(revoked.isRevoked("jti-2"));
            assertFalse(revoked.isRevoked("jti-3"));
            revoked.revoke("jti-3", "as", 3_000, 1_600); // now past jti-2's expiry
            assertFalse(revoked.isRevoked("jti-2"), "pruned once its token expired");
            assertTrue(revoked.isRevoked("jti-1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void aJtiIsUsedOnceUntilItExpiresAlsoFromAnotherNode(String kind) throws Exception {
        List<Store> nodes = nodes(kind, 2);
        try {
            UsedJtiRepository first = nodes.get(0).usedJtis();
            UsedJtiRepository second = nodes.get(1).usedJtis();
            assertTrue(first.firstUse("k1", 2_000, 1_000));
            assertFalse(first.firstUse("k1", 2_000, 1_000), "a replay on the same node");
            assertFalse(second.firstUse("k1", 2_000, 1_100), "a replay on another node");
            assertTrue(second.firstUse("k2", 1_500, 1_100));
            assertTrue(first.firstUse("k2", 1_800, 1_600), "usable again once its entry expired");
            // many nodes racing with the same jti: exactly one wins
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    UsedJtiRepository repo = i % 2 == 0 ? first : second;
                    results.add(pool.submit(() -> repo.firstUse("race", 3_000, 1_700)));
                }
                int wins = 0;
                for (Future<Boolean> r : results) if (r.get()) wins++;
                assertEquals(1, wins);
            } finally {
                pool.shutdown();
            }
            // Expired entries go a few at a time with later inserts, on either node, until none is left.
            for (int i = 0; i < 10; i++) assertTrue(first.firstUse("old-" + i, 1_650, 1_600));
            assertTrue(second.firstUse("old-3", 1_900, 1_700), "usable again once expired, whether or not pruned yet");
            assertFalse(first.firstUse("old-3", 1_900, 1_700), "and then a replay again");
            for (int i = 0; i < 10; i++) assertTrue((i % 2 == 0 ? first : second).firstUse("new-" + i, 5_000, 4_000));
            if (nodes.get(0) instanceof JdbcStore jdbc) {
                assertEquals(List.of(0L, 10L), jdbc.database().read("counting jtis", c -> {
                    try (java.sql.Statement st = c.createStatement();
                         java.sql.ResultSet r = st.executeQuery("SELECT COUNT(*) FILTER (WHERE expires_at < 4000), COUNT(*) FROM used_jtis")) {
                        r.next();
                        return List.of(r.getLong(1), r.getLong(2));
                    }
                }), "every expired entry pruned, the ten live ones kept");
            }
        } finally {
            close(nodes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void aClientHoldsAtMostItsBoundOfLiveJtisCountedOnEveryNode(String kind) {
        List<Store> nodes = nodes(kind, 2);
        try {
            UsedJtiRepository first = nodes.get(0).usedJtis();
            UsedJtiRepository second = nodes.get(1).usedJtis();
            long now = 6_000; // minute 100
            for (int i = 0; i < 3; i++) assertEquals(Use.FIRST, first.firstUse("a-" + i, 6_100, now, "client-a", 5));
            for (int i = 3; i < 5; i++) assertEquals(Use.FIRST, second.firstUse("a-" + i, 6_100, now, "client-a", 5));
            assertEquals(Use.TOO_MANY_LIVE, first.firstUse("a-5", 6_100, now, "client-a", 5), "the bound counts the other node's jtis");
            assertEquals(Use.TOO_MANY_LIVE, second.firstUse("a-5", 6_100, now, "client-a", 5));
            assertEquals(Use.REPLAYED, second.firstUse("a-0", 6_100, now, "client-a", 5), "a replay at the bound is still a replay");
            if (nodes.get(0) instanceof JdbcStore jdbc) {
                assertEquals(0, rows(jdbc.database(), "SELECT COUNT(*) FROM used_jtis WHERE jti_key = 'a-5'"), "nothing is stored past the bound");
            }
            assertEquals(Use.FIRST, first.firstUse("a-5", 6_100, now, "client-a", 6), "a larger bound lets more in");
            assertEquals(Use.FIRST, first.firstUse("b-0", 6_100, now, "client-b", 5), "the bound is per client");
            assertTrue(first.firstUse("dpop-0", 6_100, now), "jtis stored without an owner are not counted");

            // A jti counts until the end of the minute it expires in (6_119), a little longer than it blocks a replay.
            assertEquals(Use.TOO_MANY_LIVE, first.firstUse("a-6", 6_200, 6_119, "client-a", 5));
            assertEquals(Use.FIRST, second.firstUse("a-6", 6_200, 6_120, "client-a", 5), "counted no more once its minute has passed");
            assertEquals(Use.FIRST, second.firstUse("a-1", 6_200, 6_120, "client-a", 5), "and its jti is usable again");
        } finally {
            close(nodes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void writersRacingForAClientsLastJtisNeverPassItsBound(String kind) throws Exception {
        List<Store> nodes = nodes(kind, 2);
        try {
            UsedJtiRepository first = nodes.get(0).usedJtis();
            UsedJtiRepository second = nodes.get(1).usedJtis();
            assertEquals(10, race(List.of(first), "one-node", 10), "exact on one node");
            int acrossNodes = race(List.of(first, second), "two-nodes", 10);
            if (!kind.equals("postgresql")) {
                assertEquals(10, acrossNodes, "exact across processes: SQLite has one writer at a time (and memory is one node)");
            } else {
                // Each node sees the other's committed counts: together they pass the bound by what the other had in flight (one group commit, 256 writes at most).
                assertTrue(acrossNodes >= 10 && acrossNodes <= 10 + 256, "across nodes: " + acrossNodes);
            }
        } finally {
            close(nodes);
        }
    }

    /** 40 writers with distinct jtis of one client, spread over {@code nodes}, racing for {@code bound} places. */
    private static int race(List<UsedJtiRepository> nodes, String owner, int bound) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Use>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                UsedJtiRepository repo = nodes.get(i % nodes.size());
                String key = owner + "-" + i;
                results.add(pool.submit(() -> repo.firstUse(key, 9_000, 6_000, owner, bound)));
            }
            int first = 0;
            for (Future<Use> r : results) {
                Use use = r.get();
                if (use == Use.FIRST) first++;
                else assertEquals(Use.TOO_MANY_LIVE, use);
            }
            return first;
        } finally {
            pool.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void pruningKeepsOneHourJtisAndTheirCountsAtTheirLiveSizeAsTimePasses(String kind) {
        String url = TestDatabases.of(kind, dir);
        try (Database node1 = Database.open(url); Database node2 = Database.open(url)) {
            List<JdbcUsedJtiRepository> nodes = List.of(new JdbcUsedJtiRepository(node1), new JdbcUsedJtiRepository(node2));
            TestClock clock = new TestClock(Instant.ofEpochSecond(1_700_000_000L));
            long lifetime = 3600 + 30; // a one-hour assertion, kept 30 s past its exp for clock skew
            List<Long> expiries = new ArrayList<>();
            // Two hours and a half, two assertions of one client every 30 s (one on each node), then one more of another client.
            for (int step = 0; step < 300; step++) {
                long now = clock.instant().getEpochSecond();
                for (JdbcUsedJtiRepository node : nodes) {
                    assertEquals(Use.FIRST, node.firstUse("jti-" + expiries.size(), now + lifetime, now, "busy-client", 1_000));
                    expiries.add(now + lifetime);
                }
                clock.advance(Duration.ofSeconds(30));
            }
            long now = clock.instant().getEpochSecond();
            assertEquals(Use.FIRST, nodes.get(0).firstUse("last", now + lifetime, now, "other-client", 1_000));
            long live = expiries.stream().filter(e -> e >= now).count() + 1;
            assertEquals(live, rows(node1, "SELECT COUNT(*) FROM used_jtis"), "no expired jti is left");
            long minute = now / 60;
            assertEquals(0, rows(node1, "SELECT COUNT(*) FROM live_jti_counts WHERE minute < " + minute), "no past minute's count is left");
            long counted = rows(node1, "SELECT COALESCE(SUM(jtis), 0) FROM live_jti_counts WHERE owner = 'busy-client'");
            assertTrue(counted >= live - 1 && counted <= live - 1 + 4, "the counts follow the live jtis (a minute late at most): " + counted);
            assertTrue(rows(node1, "SELECT COUNT(*) FROM live_jti_counts") <= 2 * 63 + 1, "one count per node and minute of the hour ahead");
        }
    }

    private static long rows(Database db, String sql) {
        return db.read("counting", c -> {
            try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet r = st.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /** The store of a kind: "memory", or a new database of "sqlite" or "postgresql". */
    private Store store(String kind) {
        return kind.equals("memory") ? new MemoryStore() : new JdbcStore(Database.open(TestDatabases.of(kind, dir)));
    }

    /** {@code n} nodes on one store: one database opened n times, or the one memory store, which is every node of its server. */
    private List<Store> nodes(String kind, int n) {
        if (kind.equals("memory")) return java.util.Collections.nCopies(n, new MemoryStore());
        String url = TestDatabases.of(kind, dir);
        List<Store> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) nodes.add(new JdbcStore(Database.open(url)));
        return nodes;
    }

    private static void close(List<Store> nodes) {
        for (Store node : nodes) node.close();
    }

    private static Client named(String id, String as, String name) {
        return new Client(id, as, Secrets.hash("s-" + id), "", ClientMetadata.parse(Map.of("client_name", name, "scope", "a")), 1, 0, false,
                clavis.oauth.ClientTokens.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void clientsArePagedByServerAndIdAndFilteredByIdOrName(String kind) {
        try (Store store = store(kind)) {
            ClientRepository clients = store.clients();
            clients.insert(named("c3", "as1", "Billing Job"), 0);
            clients.insert(named("c1", "as1", "order sync"), 0);
            clients.insert(named("c2", "as1", "100% ready_x"), 0);
            clients.insert(named("c0", "as2", "Order audit"), 0);
            java.util.function.Function<List<Client>, List<String>> ids = l -> l.stream().map(Client::clientId).toList();
            assertEquals(List.of("c1", "c2", "c3", "c0"), ids.apply(clients.page(null, null, null, null, 10)), "by server, then client_id");
            assertEquals(List.of("c1", "c2"), ids.apply(clients.page("as1", null, null, null, 2)));
            assertEquals(List.of("c3"), ids.apply(clients.page("as1", "as1", "c2", null, 2)), "after a position");
            assertEquals(List.of("c3", "c0"), ids.apply(clients.page(null, "as1", "c2", null, 10)), "into the next server");
            assertEquals(List.of("c1", "c0"), ids.apply(clients.page(null, null, null, "ORDER", 10)), "the name, ASCII case aside");
            assertEquals(List.of("c3"), ids.apply(clients.page(null, null, null, "C3", 10)), "or the client_id");
            assertEquals(List.of("c2"), ids.apply(clients.page(null, null, null, "0%", 10)), "% is matched, not a wildcard");
            assertEquals(List.of("c2"), ids.apply(clients.page(null, null, null, "y_", 10)), "_ too");
            assertEquals(List.of(), ids.apply(clients.page(null, null, null, "\\", 10)));

            Client renamed = clients.find("c1").orElseThrow().withMetadata(ClientMetadata.parse(Map.of("client_name", "Invoices", "scope", "a")), "");
            assertTrue(clients.update(renamed));
            assertEquals(List.of("c1"), ids.apply(clients.page(null, null, null, "invoice", 10)), "an update keeps the name column");
            Client rotated = clients.find("c1").orElseThrow().withSecret(Secrets.hash("new"), 0, Secrets.hash("s-c1"), 1_900_000_000L);
            assertTrue(clients.update(rotated));
            Client read = clients.find("as1", "c1").orElseThrow();
            assertEquals(Secrets.hash("s-c1"), read.previousSecretHash());
            assertEquals(1_900_000_000L, read.previousSecretExpiresAt());
        }
    }

    /** A database as version 6 left it, with one client and one initial access token in it. */
    private static void version6(String url) throws Exception {
        String folder = url.startsWith("jdbc:sqlite:") ? "sqlite" : "postgresql";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)");
            for (int v = 1; v <= 6; v++) {
                try (java.io.InputStream in = StorageContractTest.class.getResourceAsStream("/db/" + folder + "/V" + v + ".sql")) {
                    for (String sql : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split(";")) {
                        if (!sql.replaceAll("(?m)--.*$", "").isBlank()) st.execute(sql);
                    }
                }
                st.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + v + ", 0)");
            }
            st.execute("INSERT INTO clients (client_id, as_id, secret_hash, metadata, issued_at, secret_expires_at) VALUES ('old', 'as', '"
                    + Secrets.hash("old-secret") + "', '{\"client_name\":\"Legacy Batch\",\"scope\":\"a\",\"token_endpoint_auth_method\":"
                    + "\"client_secret_basic\",\"grant_types\":[\"client_credentials\"]}', 1, 0)");
            st.execute("INSERT INTO initial_access_tokens (token_hash, as_id, created_at, expires_at, uses_left) VALUES ('"
                    + Secrets.hash("old-token") + "', 'as', 1, 0, -1)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void version7KeepsOldRowsAndGivesThemANameColumnAndAnId(String kind) throws Exception {
        String url = TestDatabases.of(kind, dir);
        version6(url);
        try (Database db = Database.open(url)) {
            JdbcClientRepository clients = new JdbcClientRepository(db);
            assertEquals(List.of("old"), clients.page(null, null, null, "legacy", 10).stream().map(Client::clientId).toList(),
                    "the name of a client registered before is found");
            Client old = clients.find("as", "old").orElseThrow();
            assertEquals("", old.previousSecretHash());
            assertEquals(0, old.previousSecretExpiresAt());
            JdbcInitialAccessTokenRepository tokens = new JdbcInitialAccessTokenRepository(db);
            String id = Secrets.hash("old-token").substring(7, 29);
            assertEquals(List.of(id), tokens.page("as", null, 10).stream().map(clavis.oauth.InitialAccessToken::id).toList());
            assertEquals(Optional.of(id), tokens.consume(Secrets.hash("old-token"), "as", 2), "a token made before still registers");
            assertTrue(tokens.delete("as", id));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void initialAccessTokensCountUsesAndExpire(String kind) {
        try (Store store = store(kind)) {
            InitialAccessTokenRepository tokens = store.initialAccessTokens();
            tokens.insert("id1", "h1", "as", 100, 0, 2);
            tokens.insert("id2", "h2", "as", 100, 200, -1);
            assertEquals(Optional.of("id1"), tokens.consume("h1", "as", 150), "a use names the token's id");
            assertTrue(tokens.consume("h1", "as", 150).isPresent());
            assertFalse(tokens.consume("h1", "as", 150).isPresent(), "no uses left");
            assertFalse(tokens.consume("h2", "other", 150).isPresent(), "another server's token");
            for (int i = 0; i < 5; i++) assertTrue(tokens.consume("h2", "as", 199).isPresent(), "unlimited uses");
            assertFalse(tokens.consume("h2", "as", 200).isPresent(), "expired");
            assertFalse(tokens.consume("nope", "as", 150).isPresent());

            assertEquals(List.of("id1", "id2"), tokens.page("as", null, 10).stream().map(clavis.oauth.InitialAccessToken::id).toList(),
                    "listed by id, used-up and expired ones too");
            assertEquals(-1, tokens.page("as", "id1", 10).get(0).usesLeft(), "after id1: id2, with any number of uses left");
            assertEquals(List.of("id1"), tokens.page("as", null, 1).stream().map(clavis.oauth.InitialAccessToken::id).toList());
            assertTrue(tokens.page("other", null, 10).isEmpty());
            assertFalse(tokens.delete("other", "id1"), "another server's id");
            assertTrue(tokens.delete("as", "id1"));
            assertFalse(tokens.delete("as", "id1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void nodesStartingTogetherAgreeOnOneActiveKey(String kind) throws Exception {
        List<Store> nodes = nodes(kind, 4);
        try {
            ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
            List<Future<String>> kids = new ArrayList<>();
            for (Store node : nodes) {
                Callable<String> load = () -> KeyRing.load(node.signingKeys(), "as", SigningAlgorithm.ES256, "at+jwt",
                        3600, 0, Clock.systemUTC(), new SecureRandom()).signer().key().kid();
                kids.add(pool.submit(load));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : kids) distinct.add(f.get());
            pool.shutdown();
            assertEquals(1, distinct.size(), "every node signs with the same key");
            List<StoredKey> stored = nodes.get(0).signingKeys().newest("as", 100);
            assertEquals(1, stored.stream().filter(StoredKey::active).count());
            assertEquals(1, stored.size(), "and no second key was made and thrown away");
        } finally {
            close(nodes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void rotationRetiresTheOldKeyWhichStaysPublishedWhileItsTokensLive(String kind) {
        try (Store store = store(kind)) {
            SigningKeyRepository repo = store.signingKeys();
            MutableClock clock = new MutableClock(1_700_000_000L);
            KeyRing ring = KeyRing.load(repo, "as", SigningAlgorithm.EdDSA, "at+jwt", 600, 3600, clock, new SecureRandom());
            String first = ring.signer().key().kid();
            String token = ring.signer().sign("{\"sub\":\"x\"}".getBytes());

            clock.now += 3599;
            ring.refresh();
            assertEquals(first, ring.signer().key().kid(), "not due yet");

            clock.now += 1;
            ring.refresh();
            String second = ring.signer().key().kid();
            assertTrue(!first.equals(second), "rotated when due");
            assertEquals(2, ring.published().size());
            assertTrue(ring.verify(token).isPresent(), "a token of the old key still verifies");

            KeyRing otherNode = KeyRing.load(repo, "as", SigningAlgorithm.EdDSA, "at+jwt", 600, 3600, clock, new SecureRandom());
            assertEquals(second, otherNode.signer().key().kid(), "another node takes up the rotation");

            clock.now += 601;
            ring.refresh();
            assertEquals(1, ring.published().size(), "the old key leaves the JWKS once its tokens have expired");
            assertTrue(ring.verify(token).isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void migrationsRunOnceWhenReopened(String kind) {
        String url = TestDatabases.of(kind, dir);
        try (Database db = Database.open(url)) {
            new JdbcClientRepository(db).insert(client("kept", "as"), 0);
        }
        try (Database db = Database.open(url)) {
            assertTrue(new JdbcClientRepository(db).find("as", "kept").isPresent());
            assertTrue(db.ping());
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        long now;

        MutableClock(long now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(now);
        }
    }
}
