package dev.spindle.laundromat.api;

import dev.spindle.laundromat.store.Wash;
import dev.spindle.web.params.Field;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * The API's request and response models (records, validated with Jakarta Validation: a violation is a 422 in
 * FastAPI's shape).
 *
 * {@snippet :
 * POST /washes {"program": "cotton", "minutes": 30}            -> 201 {"id": 7, "machine": 3, "state": "RUNNING", ...}
 * POST /washes {"program": "lava", "minutes": 0}               -> 422 {"detail": [{"loc": ["body", "program"], ...}, ...]}
 * }
 */
public final class Models {
    private Models() {}

    /** The wash programs a machine knows. */
    public static final String PROGRAMS = "cotton|synthetics|wool|delicates|quick";

    /** A customer's name and password, to register or to log in. */
    public record Credentials(
            @NotNull
            @Size(min = 3, max = 32)
            @Pattern(regexp = "[A-Za-z0-9_.-]+")
            @Field(description = "3 to 32 letters, digits, _ . -", example = "ada")
            String name,

            @NotNull @Size(min = 8, max = 72) @Field(description = "8 to 72 characters", example = "correct horse")
            String password) {}

    /** A registered customer. */
    public record CustomerOut(long id, String name) {}

    /** A bearer token for the {@code Authorization} header. */
    public record Token(String accessToken, String tokenType) {}

    /** A wash to start: a program, a duration in wash minutes, optionally a machine. */
    public record StartWash(
            @NotNull
            @Pattern(regexp = PROGRAMS)
            @Field(description = "cotton, synthetics, wool, delicates or quick", example = "cotton")
            String program,

            @Min(1) @Max(240) @Field(description = "wash minutes (scaled by the service's speed)", example = "30")
            int minutes,

            @Field(description = "a machine's number; any free one if absent")
            Optional<@Min(1) Integer> machine) {}

    /** A wash as the API shows it. */
    public record WashOut(
            long id,
            int machine,
            String program,
            long durationMs,
            long remainingMs,
            String state,
            LocalDateTime createdAt,
            LocalDateTime finishedAt) {
        static WashOut of(Wash w) {
            return new WashOut(
                    w.id(),
                    w.machineId(),
                    w.program(),
                    w.durationMs(),
                    w.remainingMs(),
                    w.state(),
                    w.createdAt(),
                    w.finishedAt());
        }
    }

    /** A ready notification. */
    public record NotificationOut(long wash, String message, LocalDateTime createdAt) {}

    /** The service's counters. */
    public record Health(String status, int running, long finished, int liveSubscribers, long notificationsHandled) {}
}
