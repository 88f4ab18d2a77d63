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

    /** The keys of one authorization server as committed, newest first; a read that never waits for writers. */
    List<StoredKey> all(String asId);

    /** What to write: keys to insert, and kids to mark retired at a time. */
    record Changes(List<StoredKey> inserts, List<String> retire, long retiredAt) {
        public static final Changes NONE = new Changes(List.of(), List.of(), 0);
    }
}
