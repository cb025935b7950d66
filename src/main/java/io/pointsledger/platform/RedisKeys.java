package io.pointsledger.platform;

/**
 * How the service names its Redis keys: a prefix, then the id the key is about inside braces, a
 * hash tag. Redis Cluster places a key by its tag alone, so every key about one member (or one
 * partner) lands in one slot, where a script may use several of them together.
 */
public final class RedisKeys {

    private RedisKeys() {
    }

    /** {@code prefix} followed by {@code id} as the key's hash tag. */
    public static String tagged(String prefix, Object id) {
        return prefix + '{' + id + '}';
    }
}
