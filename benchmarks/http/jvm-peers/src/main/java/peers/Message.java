package peers;

/** TechEmpower's JSON test object: serialized anew for every request. */
public record Message(String message) {}
