package org.ccmledger.platform.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.ccmledger.platform.problem.Refusal;

/**
 * The user a request acts for, from its verified token: who (the actor every event they cause names), their roles and
 * the practices they may act for. Nothing here comes from the request body or a header.
 */
public record Caller(String user, Set<Role> roles, Set<String> practices) {

    /** The characters an actor may have: the metadata and the access log store it verbatim. */
    public static final Pattern USER = Pattern.compile("[A-Za-z0-9._@:|-]{1,128}");

    public Caller {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("a user id is 1-128 letters, digits or ._@:|-");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        practices = Set.copyOf(practices);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Collection<Role> any) {
        return any.stream().anyMatch(roles::contains);
    }

    public boolean mayActFor(String practiceId) {
        return practices.contains(practiceId);
    }

    /**
     * The person a body field such as {@code revisedBy} or {@code attestedBy} names: the caller, who may leave it out;
     * naming someone else is refused (403), since a person attests and revises only as themselves.
     */
    public String asThemselves(String named, String field) {
        if (named != null && !named.equals(user)) {
            throw Refusal.forbidden("NOT_CALLER", field + " must be the caller, or left out");
        }
        return user;
    }

    /** Refuses (403) unless the caller has one of the roles. */
    public void require(Role... any) {
        for (Role role : any) {
            if (has(role)) {
                return;
            }
        }
        throw Refusal.forbidden("ROLE_REQUIRED", "this action needs one of the roles " + claimValues(any));
    }

    private static String claimValues(Role... roles) {
        StringBuilder names = new StringBuilder();
        for (Role role : roles) {
            names.append(names.length() == 0 ? "" : ", ").append(role.claimValue());
        }
        return names.toString();
    }
}
