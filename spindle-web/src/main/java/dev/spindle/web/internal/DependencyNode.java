package dev.spindle.web.internal;

import dev.spindle.web.security.SecurityScheme;

/**
 * A dependency class analysed once: how to call it ({@link Invocable}) and, for the security helpers, the scheme it
 * adds to OpenAPI. One node per class per app, so that the per-request cache recognises repeated uses.
 */
public final class DependencyNode {
    public final Class<?> key;
    public final Invocable invocable;
    public final SecurityScheme security;
    final boolean usesScopes;

    DependencyNode(Class<?> key, Invocable invocable, SecurityScheme security) {
        this.key = key;
        this.invocable = invocable;
        this.security = security;
        boolean scopes = false;
        for (ParamSpec p : invocable.params) {
            scopes |= p.kind == ParamSpec.Kind.SCOPES
                    || (p.kind == ParamSpec.Kind.DEPENDS && p.dependency != null && p.dependency.usesScopes);
        }
        this.usesScopes = scopes;
    }

    @Override
    public String toString() {
        return "dependency " + key.getName();
    }
}
