package clavis.oauth;

/** What the protocol reports as it happens, for metrics; implementations must be fast and thread-safe. */
public interface Events {
    void tokenIssued(String asId);

    void clientRegistered(String asId);

    /** @param reason why, such as unknown_client, wrong_secret, bad_signature or replayed; never shown to the client */
    void authenticationFailed(String asId, String reason);

    void throttled(String asId);

    Events NONE = new Events() {
        public void tokenIssued(String asId) {
        }

        public void clientRegistered(String asId) {
        }

        public void authenticationFailed(String asId, String reason) {
        }

        public void throttled(String asId) {
        }
    };
}
