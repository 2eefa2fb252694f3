import { describe, expect, it } from "vitest";
import { nextStartAfter, nextTickAt, planDispatch, rescheduleForRate } from "@/lib/batches/dispatch-schedule";

// The batch rate as a schedule of slots: the arithmetic the dispatcher runs on under its row lock.

const T0 = Date.UTC(2025, 0, 1);
const at = (ms: number) => new Date(T0 + ms);
const plan = (ms: number, next: number | null, rate: number) =>
  planDispatch({ now: at(ms), nextStartAt: next === null ? null : at(next), ratePerMinute: rate, tickSeconds: 2 });

describe("planDispatch", () => {
  it("at one a minute starts one claim, then none until its next slot a minute on", () => {
    const first = plan(0, null, 1);
    expect(first.allowance).toBe(1);
    const next = nextStartAfter(first, 1, 1);
    expect(next).toEqual(at(60_000));
    expect(plan(2_000, 60_000, 1).allowance).toBe(0);
    expect(plan(59_999, 60_000, 1).allowance).toBe(0);
    expect(plan(60_000, 60_000, 1).allowance).toBe(1);
    expect(nextTickAt({ now: at(0), nextStartAt: next, ratePerMinute: 1, tickSeconds: 2 })).toEqual(at(60_000));
  });

  it("above one a tick, starts the claims due before the next tick", () => {
    expect(plan(0, null, 600).allowance).toBe(20);
    expect(plan(0, null, 90).allowance).toBe(3);
    expect(plan(0, null, 30).allowance).toBe(1);
    expect(plan(0, null, 31).allowance).toBe(2);
    expect(nextTickAt({ now: at(0), nextStartAt: at(2_000), ratePerMinute: 600, tickSeconds: 2 })).toEqual(at(2_000));
  });

  it("a late tick makes up the slots it missed, but at most two ticks' worth", () => {
    expect(plan(2_700, 2_000, 600).allowance).toBe(27);
    expect(plan(3_000, 2_000, 30).allowance).toBe(1);
    expect(plan(4_000, 0, 30).allowance).toBe(3);
    expect(plan(600_000, 2_000, 30).allowance).toBe(3);
    expect(plan(600_000, 2_000, 600).allowance).toBe(60);
  });

  it("a new rate moves the next slot by the difference of the intervals", () => {
    expect(rescheduleForRate(at(2_000), 90, 60)).toEqual(at(2_334));
    expect(rescheduleForRate(at(61_000), 60, 1)).toEqual(at(120_000));
    expect(rescheduleForRate(at(120_000), 1, 600)).toEqual(at(60_100));
    expect(rescheduleForRate(null, 1, 600)).toBeNull();
  });
});
