import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKeyRepository;
import clavis.jwt.StoredKey;
import clavis.store.Database;
import clavis.store.JdbcStore;

/**
 * What a key ring's refresh (every store.cache-seconds) reads from a SQLite file that holds a year of hourly
 * rotations (8,760 keys of one server): every key, as it did before V9, against the live ones it reads now.
 * Usage, after ./build.sh: java -cp target/clavis.jar bench/keyreads/KeyReads.java
 */
public class KeyReads {
    public static void main(String[] args) throws Exception {
        var file = Files.createTempDirectory("clavis-keyreads").resolve("keys.db");
        try (JdbcStore store = new JdbcStore(Database.open("jdbc:sqlite:" + file))) {
            SigningKeyRepository keys = store.signingKeys();
            String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + "A".repeat(43) + "\",\"y\":\"" + "B".repeat(43) + "\",\"d\":\""
                    + "C".repeat(43) + "\",\"kid\":\"" + "D".repeat(43) + "\"}";
            int n = 8760;
            List<StoredKey> made = new ArrayList<>();
            for (int i = 0; i < n; i++) made.add(new StoredKey("kid-" + i, "as", SigningAlgorithm.ES256, jwk, 3600L * i, i < n - 1 ? 3600L * (i + 1) : 0));
            keys.update("as", current -> new SigningKeyRepository.Changes(made, List.of(), 0));
            long retiredAfter = 3600L * n - 18000; // five-hour tokens, the shipped lifetime
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                int every = 0;
                for (int i = 0; i < 100; i++) every += keys.newest("as", Integer.MAX_VALUE).size();
                long t1 = System.nanoTime();
                int live = 0;
                for (int i = 0; i < 100; i++) live += keys.live("as", retiredAfter).size();
                long t2 = System.nanoTime();
                System.out.printf("KEY_READS round=%d every_key_rows=%d every_key_ms=%.3f live_rows=%d live_ms=%.3f%n",
                        round, every / 100, (t1 - t0) / 1e8, live / 100, (t2 - t1) / 1e8);
            }
        }
    }
}
