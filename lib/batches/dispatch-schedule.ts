// A batch's rate as a schedule: claim k may start at `from + k × 60/rate` seconds, and the batch
// keeps the time of its next free slot (batches.next_start_at) under its row lock. Pure arithmetic,
// so the dispatcher, its tests and the rate control agree on every figure.
//
// - At up to one claim a tick (rate ≤ 60 / tick), a claim never starts before its slot: a batch at
//   1 a minute starts one claim, then the next a minute later.
// - Above that, a tick starts every claim whose slot falls before the next tick, as a tick always
//   did, so 600 a minute is 20 every 2 s.
// - A tick that runs late (the queue polls every few seconds) starts the slots it missed, so the
//   rate holds over time; but it makes up at most CATCH_UP_TICKS ticks: a batch that was paused,
//   or whose worker was down, does not make up for it in a burst.

export type DispatchPlan = { allowance: number; from: Date };

const CATCH_UP_TICKS = 2;

export const intervalMs = (ratePerMinute: number) => 60_000 / ratePerMinute;

// The rate the schedule runs at when the dispatcher's clock is compressed (DISPATCH_TIME_FACTOR, for
// demos and the browser tests, which cannot wait a minute between starts): a batch slower than one
// claim a tick waits `timeFactor` times less between starts, but never less than a tick. The tick
// itself stays real (the queue's polling is), so a batch at one claim a tick or more, the default
// 600 a minute among them, runs exactly as at factor 1, and 1 and 2 a minute stay twice apart.
export function compressedRate(ratePerMinute: number, timeFactor: number, tickSeconds: number) {
  const oneATick = 60 / tickSeconds;
  if (timeFactor === 1 || ratePerMinute >= oneATick) return ratePerMinute;
  return Math.min(ratePerMinute * timeFactor, oneATick);
}

// How many claims this tick may start, counting slots from `from`.
export function planDispatch(input: {
  now: Date;
  nextStartAt: Date | null;
  ratePerMinute: number;
  tickSeconds: number;
}): DispatchPlan {
  const tickMs = input.tickSeconds * 1000;
  const now = input.now.getTime();
  const interval = intervalMs(input.ratePerMinute);
  const from = Math.max(input.nextStartAt?.getTime() ?? now, now - CATCH_UP_TICKS * tickMs);
  // Slots in a span of time as rate × span / 60,000: whole numbers stay whole (a division by a
  // rounded interval can land a hair above one and count a slot too many).
  const slotsIn = (ms: number) => (ms * input.ratePerMinute) / 60_000;
  if (interval < tickMs) {
    // Slots before the next tick.
    const end = now + tickMs;
    return { allowance: from < end ? Math.ceil(slotsIn(end - from)) : 0, from: new Date(from) };
  }
  return { allowance: from <= now ? Math.floor(slotsIn(now - from)) + 1 : 0, from: new Date(from) };
}

// The slot after the `started` claims just started (rounded up to the millisecond: never early).
export function nextStartAfter(plan: DispatchPlan, started: number, ratePerMinute: number): Date {
  return new Date(Math.ceil(plan.from.getTime() + (started * 60_000) / ratePerMinute));
}

// When the dispatcher should look again: at high rates a tick from now (or the tick before the next
// slot, after a slow-down); otherwise when the next slot comes.
export function nextTickAt(input: { now: Date; nextStartAt: Date; ratePerMinute: number; tickSeconds: number }) {
  const tickMs = input.tickSeconds * 1000;
  if (intervalMs(input.ratePerMinute) >= tickMs)
    return new Date(Math.max(input.now.getTime(), input.nextStartAt.getTime()));
  return new Date(Math.max(input.now.getTime() + tickMs, input.nextStartAt.getTime() - tickMs));
}

// A new rate applies from the claim after the last one started: the next slot moves by the
// difference between the two intervals (a batch slowed from 60 to 1 a minute waits a minute after
// its last start, not a second).
export function rescheduleForRate(nextStartAt: Date | null, previousRate: number, rate: number): Date | null {
  if (!nextStartAt) return null;
  return new Date(Math.ceil(nextStartAt.getTime() + (60_000 * (previousRate - rate)) / (previousRate * rate)));
}
