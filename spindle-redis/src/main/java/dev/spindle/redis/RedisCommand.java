package dev.spindle.redis;

import dev.spindle.redis.internal.CommandAccess;
import dev.spindle.redis.internal.resp.ErrorReply;
import dev.spindle.redis.internal.resp.RespMap;
import dev.spindle.redis.internal.resp.RespSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One command: its arguments (the name first) and how its reply becomes a Java value. The typed methods of
 * {@link RedisCommands} make these; {@link #of} makes a raw one for anything they lack, run with
 * {@link RedisCommands#execute}.
 *
 * {@snippet :
 * Object reply = redis.execute(RedisCommand.of("OBJECT", "ENCODING", "user:1"));   // byte[] "listpack"
 * long n = redis.execute(RedisCommand.of(r -> (Long) r, "DBSIZE").idempotent());
 * }
 *
 * <p>Arguments may be {@code byte[]}, {@link String} (sent as UTF-8), whole numbers and doubles (sent as their
 * decimal text). A command is immutable and may be sent many times (a retry after a lost connection sends it again,
 * which is why only commands marked {@link #idempotent()} are retried).
 *
 * @param <T> what the reply is decoded to
 */
public final class RedisCommand<T> {
    static final int IDEMPOTENT = 1;
    static final int BLOCKING = 2;
    /** Its decoder takes a bulk reply as a UTF-8 String as it takes it as bytes (see {@link CommandAccess}). */
    static final int TEXT_REPLY = 4;

    static {
        CommandAccess.install(new CommandAccess.Reader() {
            @Override
            public Object[] args(RedisCommand<?> command) {
                return command.args;
            }

            @Override
            public boolean textReply(RedisCommand<?> command) {
                return (command.flags & TEXT_REPLY) != 0;
            }
        });
    }

    private final Object[] args;
    private final Function<Object, T> decoder;
    private final int flags;
    /** Index in {@link #args} of the key that routes the command in a cluster; -1 for none. */
    private final int keyIndex;

    RedisCommand(Object[] args, Function<Object, T> decoder, int flags) {
        this(args, decoder, flags, args.length > 1 ? 1 : -1);
    }

    RedisCommand(Object[] args, Function<Object, T> decoder, int flags, int keyIndex) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        for (Object a : args) {
            if (a == null) {
                throw new IllegalArgumentException("null argument in " + args[0]);
            }
        }
        this.args = args;
        this.decoder = decoder;
        this.flags = flags;
        this.keyIndex = keyIndex;
    }

    /**
     * A raw command whose reply comes back as the protocol's own values: {@code byte[]} for bulk strings,
     * {@link String} for status replies, {@link Long}, {@link Double}, {@link Boolean}, {@code null},
     * {@link List} for arrays, a {@link Map} (keys as Strings) for RESP3 maps, a {@link java.util.Set} for RESP3
     * sets. An error reply throws {@link RedisServerError}.
     */
    public static RedisCommand<Object> of(Object... args) {
        return new RedisCommand<>(args.clone(), RedisCommand::plain, 0);
    }

    /** A raw command with its own decoder of the reply (given the values as {@link #of(Object...)} describes). */
    public static <T> RedisCommand<T> of(Function<Object, T> decoder, Object... args) {
        Objects.requireNonNull(decoder, "decoder");
        return new RedisCommand<>(args.clone(), r -> decoder.apply(plain(r)), 0);
    }

    /** This command, marked safe to send again after a lost connection (reads, and writes that set a value). */
    public RedisCommand<T> idempotent() {
        return new RedisCommand<>(args, decoder, flags | IDEMPOTENT, keyIndex);
    }

    RedisCommand<T> blocking() {
        return new RedisCommand<>(args, decoder, flags | BLOCKING, keyIndex);
    }

    /**
     * The key that decides where the command goes in a cluster (its first key), as bytes; null for commands without
     * keys. Typed commands know their keys; a raw command ({@link #of}) is routed by its second argument.
     */
    public byte[] routingKey() {
        if (keyIndex < 0) {
            return null;
        }
        Object k = args[keyIndex];
        return k instanceof byte[] b ? b : k.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The command's name, upper-case as sent. */
    public String name() {
        return args[0].toString();
    }

    /** The arguments, name first. */
    public List<Object> args() {
        return Collections.unmodifiableList(Arrays.asList(args));
    }

    /** Whether a lost connection may send it again. */
    public boolean isIdempotent() {
        return (flags & IDEMPOTENT) != 0;
    }

    /**
     * Whether it may wait on the server (BLPOP, XREAD BLOCK...): it runs on a connection of its own, and the client's
     * command timeout does not apply.
     */
    public boolean isBlocking() {
        return (flags & BLOCKING) != 0;
    }

    /**
     * Decodes a reply as the parser gave it.
     *
     * @throws RedisServerError if the reply is an error
     */
    public T decode(Object reply) {
        if (reply instanceof ErrorReply e) {
            throw new RedisServerError(e.message());
        }
        return decoder.apply(reply);
    }

    /** The arguments array itself, for the encoder. */
    Object[] rawArgs() {
        return args;
    }

    /** The parser's values made friendly: maps and sets as java.util types, error replies as exceptions. */
    static Object plain(Object v) {
        return switch (v) {
            case ErrorReply e -> new RedisServerError(e.message());
            case RespMap m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i + 1 < m.size(); i += 2) {
                    Object k = plain(m.get(i));
                    out.put(k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : k, plain(m.get(i + 1)));
                }
                yield out;
            }
            case RespSet s -> {
                LinkedHashSet<Object> out = new LinkedHashSet<>();
                for (Object o : s) {
                    Object p = plain(o);
                    out.add(p instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : p);
                }
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object o : l) {
                    out.add(plain(o));
                }
                yield out;
            }
            case null -> null;
            default -> v;
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name());
        for (int i = 1; i < args.length && i < 4; i++) {
            sb.append(' ');
            Object a = args[i];
            String s = a instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : a.toString();
            sb.append(s.length() > 40 ? s.substring(0, 40) + "..." : s);
        }
        if (args.length > 4) {
            sb.append(" ... (").append(args.length - 1).append(" arguments)");
        }
        return sb.toString();
    }
}
