package clavis.jwt;

import java.util.List;
import java.util.function.Function;

/** Where signing keys live; implemented by the store. */
public interface SigningKeyRepository {
    /**
     * Runs {@code change} on the keys of one authorization server inside one write transaction, so that nodes
     * starting at the same moment cannot both add an active key, then returns the keys as committed.
     */
    List<StoredKey> update(String asId, Function<List<StoredKey>, Changes> change);

    /**
     * The keys of one authorization server that may still sign or have tokens alive: the active ones and those retired
     * after {@code retiredAfter} (epoch seconds), newest first; a read that never waits for writers. A server that has
     * rotated for years reads a handful of keys, not all it ever made.
     */
    List<StoredKey> live(String asId, long retiredAfter);

    /** The newest {@code limit} keys of one authorization server, retired ones too, newest first. */
    List<StoredKey> newest(String asId, int limit);

    /** What to write: keys to insert, and kids to mark retired at a time. */
    record Changes(List<StoredKey> inserts, List<String> retire, long retiredAt) {
        public static final Changes NONE = new Changes(List.of(), List.of(), 0);
    }
}
