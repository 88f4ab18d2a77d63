package clavis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import clavis.jwt.SigningKeyRepository;
import clavis.oauth.Client;
import clavis.oauth.ClientMetadata;
import clavis.oauth.ClientTokens;
import clavis.oauth.Secrets;
import clavis.oauth.UsedJtiRepository.Use;

/**
 * What the memory store does beyond the contract all stores share (clavis.StorageContractTest): it forgets what has
 * expired, so that a long-running test double stays at its live size, and a closed store refuses every use.
 */
class MemoryStoreTest {
    private final MemoryStore store = new MemoryStore();

    @Test
    void expiredJtisAndTheirCountsAreForgottenAsTimePasses() {
        long start = 1_700_000_000L;
        long lifetime = 3600 + 30;
        long now = start;
        // Two and a half hours, two one-hour assertions of a client every 30 s, one of them a jti seen before (expired by then).
        for (int step = 0; step < 300; step++) {
            now = start + step * 30L;
            assertEquals(Use.FIRST, store.usedJtis().firstUse("jti-" + step, now + lifetime, now, "busy-client", 1_000));
            assertTrue(store.usedJtis().firstUse("dpop-" + (step % 150), now + 60, now), "an expired jti is usable again");
        }
        Map<String, Integer> sizes = store.sizes();
        long live = 3630 / 30 + 1; // the assertions of the last hour and a half-minute
        assertTrue(sizes.get("usedJtis") <= live + 3, "only live jtis are kept: " + sizes);
        assertTrue(sizes.get("usedJtisQueue") <= live + 3, "and the queue of expiries with them: " + sizes);
        assertTrue(sizes.get("countMinutes") <= 62, "counts of the minutes ahead only: " + sizes);
        assertEquals(Use.FIRST, store.usedJtis().firstUse("last", now + lifetime, now, "busy-client", 200),
                "the client's live jtis are counted (about 123), not the 300 it ever sent");
        assertEquals(Use.TOO_MANY_LIVE, store.usedJtis().firstUse("one-more", now + lifetime, now, "busy-client", 100));
    }

    @Test
    void revocationsAreForgottenOnceTheirTokensExpire() {
        for (int i = 0; i < 1_000; i++) store.revokedTokens().revoke("jti-" + i, "as", 1_000 + i + 300, 1_000 + i);
        Map<String, Integer> sizes = store.sizes();
        // The last revocation, at 1_999, forgets the tokens that expired before it: expiries 1_300 to 1_998.
        assertEquals(301, sizes.get("revoked"), "the tokens expiring at 1_999 or later are kept: " + sizes);
        assertEquals(301, sizes.get("revokedQueue"));
        assertTrue(store.revokedTokens().isRevoked("jti-999"));
        assertFalse(store.revokedTokens().isRevoked("jti-0"));
    }

    @Test
    void aClosedStoreIsDownAndRefusesEveryUse() {
        Client client = new Client("c", "as", Secrets.hash("s"), "", ClientMetadata.parse(Map.of("scope", "a")), 1, 0, true, ClientTokens.NONE);
        assertTrue(store.clients().insert(client, 0));
        assertTrue(store.ping());
        store.close();
        assertFalse(store.ping(), "readiness reports it down");
        assertEquals(0, store.sizes().get("clients"), "what it held is gone");
        List<Runnable> uses = List.of(() -> store.clients().find("c"), () -> store.clients().find("as", "c"), () -> store.clients().insert(client, 0),
                () -> store.clients().all(), () -> store.clients().page(null, null, null, null, 10), () -> store.clients().update(client),
                () -> store.clients().delete("c"),
                () -> store.revokedTokens().isRevoked("j"), () -> store.revokedTokens().revoke("j", "as", 2, 1),
                () -> store.usedJtis().firstUse("k", 2, 1), () -> store.usedJtis().firstUse("k", 2, 1, "owner", 10),
                () -> store.initialAccessTokens().insert("id", "h", "as", 1, 0, 1), () -> store.initialAccessTokens().consume("h", "as", 1),
                () -> store.initialAccessTokens().page("as", null, 10), () -> store.initialAccessTokens().delete("as", "id"),
                () -> store.signingKeys().live("as", 0), () -> store.signingKeys().newest("as", 10), () -> store.signingKeys().update("as", keys -> SigningKeyRepository.Changes.NONE));
        for (Runnable use : uses) {
            StoreException e = assertThrows(StoreException.class, use::run);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        store.close(); // twice is harmless
    }
}
