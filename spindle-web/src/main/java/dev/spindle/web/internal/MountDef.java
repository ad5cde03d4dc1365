package dev.spindle.web.internal;

/** A sub-app or an endpoint mounted at a path prefix. */
public record MountDef(String path, Object target, String name) {
    public MountDef under(String prefix) {
        return new MountDef(prefix + path, target, name);
    }
}
