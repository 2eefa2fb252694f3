import { describe, expect, it } from "vitest";
import { retriesExhausted, retryDelaySeconds } from "@/lib/backup/retry-schedule";

describe("retry schedule (Sidekiq's)", () => {
  it.each([
    [0, 0, 15],
    [0, 0.99, 15 + 9],
    [1, 0, 16],
    [3, 0.5, 81 + 15 + 5 * 4],
    [15, 0, 15 ** 4 + 15],
  ])("retry %i with rand %f waits %i s", (n, r, expected) => {
    expect(retryDelaySeconds(n, { random: () => r })).toBe(expected);
  });

  it("is compressed by the time factor", () => {
    expect(retryDelaySeconds(2, { random: () => 0, timeFactor: 10 })).toBeCloseTo((16 + 15) / 10);
  });

  it("spans about three days over 16 retries", () => {
    const total = Array.from({ length: 16 }, (_, n) => retryDelaySeconds(n, { random: () => 0.5 })).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total / 86_400).toBeGreaterThan(1.5);
    expect(total / 86_400).toBeLessThan(4);
  });

  it("stops after the configured number", () => {
    expect(retriesExhausted(15, 16)).toBe(false);
    expect(retriesExhausted(16, 16)).toBe(true);
  });
});
