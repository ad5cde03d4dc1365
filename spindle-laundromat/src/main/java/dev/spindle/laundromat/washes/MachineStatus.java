package dev.spindle.laundromat.washes;

/**
 * A machine as the API and the live feed show it: free, or washing {@code washId} until {@code endsAt} (epoch
 * milliseconds, real time) out of {@code totalMs} real milliseconds.
 *
 * @param id the machine's number, from 1
 * @param name its name
 * @param state {@code FREE} or {@code WASHING}
 * @param washId the wash in it, or {@code null}
 * @param program the wash's program, or {@code null}
 * @param endsAt when the wash ends (epoch ms), or 0
 * @param totalMs how long the whole wash takes in real time (for a progress bar), or 0
 */
public record MachineStatus(int id, String name, String state, Long washId, String program, long endsAt, long totalMs) {
    public static final String FREE = "FREE";
    public static final String WASHING = "WASHING";

    static MachineStatus free(int id) {
        return new MachineStatus(id, "Machine " + id, FREE, null, null, 0, 0);
    }
}
