import { setImmediate as yieldToLoop } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { inTurn } from "@/lib/ingest/submissions-request";

// Request bodies are prepared one at a time, in the order they were read (submissions-request.ts):
// a body's preparation yields to the event loop, and another's must not start in those gaps.

describe("preparing request bodies in turn", () => {
  it("runs each after the one before it has finished, in order, even when one fails", async () => {
    const events: string[] = [];
    const work =
      (name: string, fail = false) =>
      async () => {
        events.push(`${name} starts`);
        for (let i = 0; i < 3; i++) await yieldToLoop();
        events.push(`${name} ends`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([inTurn(work("a")), inTurn(work("b", true)), inTurn(work("c"))]);
    expect(events).toEqual(["a starts", "a ends", "b starts", "b ends", "c starts", "c ends"]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await inTurn(async () => "d")).toBe("d");
  });
});
