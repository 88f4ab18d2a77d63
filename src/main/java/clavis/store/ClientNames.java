package clavis.store;

import clavis.oauth.Client;

/** What the admin API's client search compares, the same in every store: the client's name, and case as SQLite's LOWER folds it. */
final class ClientNames {
    private ClientNames() {
    }

    /** The client's name without a language tag, kept in a column of its own for filtering; "" for none. */
    static String name(Client client) {
        String name = client.metadata().clientName().plain();
        return name == null ? "" : name;
    }

    /** As SQLite's LOWER: only A-Z change, so that both sides of LIKE agree on both databases, and the memory store with them. */
    static String asciiLowerCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            out.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
        }
        return out.toString();
    }
}
