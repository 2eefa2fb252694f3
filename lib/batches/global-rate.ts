import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { dispatchBudgets } from "@/db/schema";
import { type DispatchPlan, intervalMs, nextStartAfter, nextTickAt, planDispatch } from "./dispatch-schedule";

// The global cap (BENEFITS_INTAKE_MAX_PER_MINUTE): every running batch's starts, together, follow
// one schedule of slots 60/cap s apart, kept in PostgreSQL (dispatch_budgets) so that any number of
// workers share it. A dispatcher tick takes its batch's row lock, then this row's: the batch's own
// rate and the global one each allow some starts, and the tick starts the smaller number.
//
// - Unlike a batch's own schedule, the global one makes up no missed slots at caps of up to one
//   start a tick: a cap is a ceiling, so two starts are never closer than 60/cap s. Above that a
//   tick already starts the slots up to the next tick, and a late tick may take those of the tick
//   before (one tick, not a batch's two): starts by any time t stay within the slots before t + a tick.
// - Turns: ticks that wake for the same slot race for this row, and the queue hands the same batch
//   the lock first every time (its job is the older one). So the batch that took the latest slot
//   lets another running batch with pending claims have the next one, for up to one tick; if that
//   batch does not come for it (its worker is down), the slot goes to whoever asks.

const BENEFITS_INTAKE = "benefits-intake";

export type GlobalPlan = { plan: DispatchPlan; ratePerMinute: number; yielded: boolean };

// Locks the shared schedule (creating its row the first time) and plans this tick's share of it.
// Waits while another worker's tick holds it: ticks are short, and the wait is the cap working.
export async function planGlobalDispatch(
  tx: DbOrTx,
  input: { now: Date; ratePerMinute: number; tickSeconds: number; batchId: number },
): Promise<GlobalPlan> {
  const [row] = await tx
    .insert(dispatchBudgets)
    .values({ name: BENEFITS_INTAKE })
    .onConflictDoUpdate({ target: dispatchBudgets.name, set: { name: sql`excluded.name` } })
    .returning({ nextStartAt: dispatchBudgets.nextStartAt, lastBatchId: dispatchBudgets.lastBatchId });
  const now = input.now.getTime();
  const tickMs = input.tickSeconds * 1000;
  const slot = row.nextStartAt?.getTime() ?? now;
  const catchUpMs = intervalMs(input.ratePerMinute) < tickMs ? tickMs : 0;
  const plan = planDispatch({
    now: input.now,
    nextStartAt: new Date(Math.max(slot, now - catchUpMs)),
    ratePerMinute: input.ratePerMinute,
    tickSeconds: input.tickSeconds,
  });
  const base = { plan, ratePerMinute: input.ratePerMinute, yielded: false };
  const fresh = slot > now - tickMs;
  if (plan.allowance === 0 || row.lastBatchId !== input.batchId || !fresh) return base;
  if (!(await anotherBatchWaits(tx, input.batchId, new Date(now + input.tickSeconds * 1000)))) return base;
  return { plan: { ...plan, allowance: 0 }, ratePerMinute: input.ratePerMinute, yielded: true };
}

// A started batch, other than this one, with claims still to start whose own rate lets one start
// by the next tick: it is waiting for the cap.
async function anotherBatchWaits(tx: DbOrTx, batchId: number, by: Date) {
  const rows = await tx.execute(sql`
    select 1 from batches b
    where b.state in ('queued', 'running') and b.id <> ${batchId}
      and (b.next_start_at is null or b.next_start_at <= ${by.toISOString()}::timestamptz)
      and (select coalesce(sum(c.n), 0) from batch_item_counts c where c.batch_id = b.id and c.state = 'pending') > 0
    limit 1`);
  return Array.from(rows).length > 0;
}

// After the tick started `started` claims: the shared schedule moves on by as many slots.
export async function recordGlobalStarts(tx: DbOrTx, global: GlobalPlan, started: number, batchId: number) {
  const nextStartAt = nextStartAfter(global.plan, started, global.ratePerMinute);
  if (started > 0)
    await tx
      .update(dispatchBudgets)
      .set({ nextStartAt, lastBatchId: batchId })
      .where(eq(dispatchBudgets.name, BENEFITS_INTAKE));
  return nextStartAt;
}

// When a batch the cap held back should look again: when the next global slot is near, or, when it
// let another batch have its turn, a tick from now.
export function globalTickAt(global: GlobalPlan, input: { now: Date; nextStartAt: Date; tickSeconds: number }) {
  if (global.yielded) return new Date(input.now.getTime() + input.tickSeconds * 1000);
  return nextTickAt({ ...input, ratePerMinute: global.ratePerMinute });
}
