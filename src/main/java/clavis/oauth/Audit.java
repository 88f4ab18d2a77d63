package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit trail: one record per change (and per refused admin call, per throttling that starts). Implemented by
 * {@code ops.AuditLog}. A change's record is durable when {@link #record} returns, so a use case records after its
 * write is committed and before it answers.
 */
public interface Audit {
    /** What happened. {@code change} events are made durable before the answer leaves; the others are only appended. */
    enum Event {
        CLIENT_REGISTERED("client_registered", true),
        CLIENT_UPDATED("client_updated", true),
        CLIENT_DELETED("client_deleted", true),
        SECRET_ROTATED("secret_rotated", true),
        KEY_ROTATED("key_rotated", true),
        INITIAL_ACCESS_TOKEN_CREATED("initial_access_token_created", true),
        INITIAL_ACCESS_TOKEN_DELETED("initial_access_token_deleted", true),
        /** Appended only: the registration it allowed follows, and is made durable with it. */
        INITIAL_ACCESS_TOKEN_USED("initial_access_token_used", false),
        ADMIN_CALL_REFUSED("admin_call_refused", false),
        THROTTLING_STARTED("throttling_started", false);

        private final String wireName;
        private final boolean change;

        Event(String wireName, boolean change) {
            this.wireName = wireName;
            this.change = change;
        }

        public String wireName() {
            return wireName;
        }

        public boolean change() {
            return change;
        }
    }

    /**
     * Records one event about {@code asId} (null for none) by {@code actor}; {@code details} are pairs of names and
     * values (the target client_id, kid or id, a reason), never a secret, token or assertion. Throws when a change
     * cannot be made durable.
     */
    void record(Event event, String asId, Actor actor, Object... details);

    /** Records nothing: for services used without a trail. */
    Audit NONE = (event, asId, actor, details) -> {
    };

    /** The pairs of {@code details} as an ordered map; null values are left out. */
    static Map<String, Object> pairs(Object... details) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < details.length; i += 2) if (details[i + 1] != null) map.put((String) details[i], details[i + 1]);
        return map;
    }
}
