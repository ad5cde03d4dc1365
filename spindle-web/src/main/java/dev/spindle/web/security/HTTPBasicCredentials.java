package dev.spindle.web.security;

/**
 * The user name and password of HTTP Basic authentication, as {@link HTTPBasic} gives them. Compare the password
 * in constant time ({@link java.security.MessageDigest#isEqual}).
 *
 * {@snippet :
 * boolean ok = MessageDigest.isEqual(credentials.password().getBytes(UTF_8), expected);
 * }
 */
public record HTTPBasicCredentials(String username, String password) {
    @Override
    public String toString() {
        return "HTTPBasicCredentials[username=" + username + ", password=***]";
    }
}
