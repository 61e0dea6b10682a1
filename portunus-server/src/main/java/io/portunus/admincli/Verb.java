package io.portunus.admincli;

import java.util.List;

/**
 * One Admin API verb as the CLI offers it: where it applies (global, a session, a handle), its
 * request members (positional when required, options when not) and what it does.
 */
record Verb(String name, Scope scope, String description, List<Param> params) {

    enum Scope { GLOBAL, SESSION, HANDLE }

    enum Kind { INT, BOOL, STRING, JSON_OBJECT, STRINGS }

    /**
     * A request member. {@code member} is the JSON key; a required one is a positional
     * parameter, an optional one an option {@code --<member with dashes>}; STRINGS options
     * repeat ({@code --plugin a --plugin b} becomes {@code "plugins": ["a","b"]}).
     */
    record Param(String member, Kind kind, boolean required, String option, String description) {
        static Param required(String member, Kind kind, String description) {
            return new Param(member, kind, true, null, description);
        }

        static Param optional(String member, Kind kind, String option, String description) {
            return new Param(member, kind, false, option, description);
        }
    }
}
