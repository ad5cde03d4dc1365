package dev.spindle.laundromat.api;

import dev.spindle.laundromat.api.Models.StartWash;
import dev.spindle.laundromat.api.Models.WashOut;
import dev.spindle.laundromat.store.Store;
import dev.spindle.laundromat.washes.Floor;
import dev.spindle.laundromat.washes.MachineStatus;
import dev.spindle.laundromat.washes.WashError;
import dev.spindle.web.Delete;
import dev.spindle.web.Get;
import dev.spindle.web.HTTPException;
import dev.spindle.web.Post;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;

/**
 * Machines (anyone may look) and washes (a customer's own: start, look, cancel, history).
 *
 * {@snippet :
 * GET    /machines                                   -> [{"id": 1, "state": "FREE", ...}, ...]
 * POST   /washes {"program": "wool", "minutes": 40}  -> 201 {"id": 7, "machine": 1, "state": "RUNNING", ...}
 * DELETE /washes/7                                   -> 200 {"id": 7, "state": "CANCELLED", ...}
 * GET    /washes?limit=20                            -> 200 [...], newest first
 * }
 *
 * <p>Errors: 409 when no machine is free (or the one asked for is busy), 404 for a wash that is not the caller's,
 * 409 when cancelling a wash that is over.
 */
public final class WashRoutes {
    private final Floor floor;
    private final Store store;

    public WashRoutes(Floor floor, Store store) {
        this.floor = floor;
        this.store = store;
    }

    @Get(value = "/machines", tags = "machines", summary = "Every machine's state")
    public List<MachineStatus> machines() {
        return floor.machines();
    }

    @Get(value = "/machines/{machine_id}", tags = "machines", summary = "One machine's state")
    public MachineStatus machine(@Path("machine_id") @Min(1) int machineId) {
        return floor.machine(machineId).orElseThrow(() -> new HTTPException(404, "no machine " + machineId));
    }

    @Post(value = "/washes", status = 201, tags = "washes", summary = "Start a wash on a free machine")
    public WashOut start(@Depends(RateLimited.class) Caller caller, StartWash body) {
        try {
            return WashOut.of(
                    floor.start(caller.id(), body.machine(), body.program(), Duration.ofMinutes(body.minutes())));
        } catch (WashError.NoFreeMachine | WashError.MachineBusy e) {
            throw new HTTPException(409, e.getMessage());
        } catch (IllegalStateException closing) {
            throw new HTTPException(503, closing.getMessage());
        }
    }

    @Get(value = "/washes", tags = "washes", summary = "My washes, newest first")
    public List<WashOut> history(
            @Depends(RateLimited.class) Caller caller, @Query @Default("20") @Min(1) @Max(500) int limit) {
        return store.washesOf(caller.id(), limit).stream().map(WashOut::of).toList();
    }

    @Get(value = "/washes/{wash_id}", tags = "washes", summary = "One of my washes")
    public WashOut wash(@Depends(RateLimited.class) Caller caller, @Path("wash_id") long washId) {
        return store.wash(washId)
                .filter(w -> w.customerId() == caller.id())
                .map(WashOut::of)
                .orElseThrow(() -> new HTTPException(404, "no wash " + washId + " of yours"));
    }

    @Delete(value = "/washes/{wash_id}", tags = "washes", summary = "Cancel one of my washes")
    public WashOut cancel(@Depends(RateLimited.class) Caller caller, @Path("wash_id") long washId) {
        try {
            return WashOut.of(floor.cancel(caller.id(), washId));
        } catch (WashError.NotFound e) {
            throw new HTTPException(404, e.getMessage());
        } catch (WashError.NotActive e) {
            throw new HTTPException(409, e.getMessage());
        }
    }
}
