import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// Alert episodes: opened when a rule starts firing, touched while it fires, cleared when it stops.

export type AlertEpisodeRow = {
  id: number;
  rule: string;
  subject: string;
  summary: string;
  link: string;
  startedAt: Date;
  emailSentAt: Date | null;
  webhookSentAt: Date | null;
};

type Raw = Omit<AlertEpisodeRow, "startedAt" | "emailSentAt" | "webhookSentAt"> & {
  startedAt: string;
  emailSentAt: string | null;
  webhookSentAt: string | null;
};

const shape = (r: Raw): AlertEpisodeRow => ({
  ...r,
  id: Number(r.id),
  startedAt: new Date(r.startedAt),
  emailSentAt: r.emailSentAt ? new Date(r.emailSentAt) : null,
  webhookSentAt: r.webhookSentAt ? new Date(r.webhookSentAt) : null,
});

const COLUMNS = sql.raw(
  `id, rule, subject, summary, link, started_at as "startedAt", email_sent_at as "emailSentAt", webhook_sent_at as "webhookSentAt"`,
);

export async function getFiringAlerts(db: DbOrTx): Promise<AlertEpisodeRow[]> {
  const rows = await db.execute<Raw>(
    sql`select ${COLUMNS} from alert_episodes where cleared_at is null order by started_at, id`,
  );
  return rows.map(shape);
}

// Opens the episode, or keeps the open one (its summary follows the latest figures).
export async function openOrTouchEpisode(
  db: DbOrTx,
  firing: { rule: string; subject: string; summary: string; link: string },
): Promise<AlertEpisodeRow> {
  const [row] = await db.execute<Raw>(sql`
    insert into alert_episodes (rule, subject, summary, link) values (${firing.rule}, ${firing.subject}, ${firing.summary}, ${firing.link})
    on conflict (rule, subject) where cleared_at is null
    do update set summary = excluded.summary, link = excluded.link, last_seen_at = now()
    returning ${COLUMNS}`);
  return shape(row);
}

// Every open episode not in the list of those still firing is over.
export async function clearEpisodesExcept(db: DbOrTx, stillFiring: number[]): Promise<number> {
  const keep = stillFiring.length
    ? sql`and id not in (${sql.join(
        stillFiring.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await db.execute(
    sql`update alert_episodes set cleared_at = now() where cleared_at is null ${keep} returning id`,
  );
  return rows.length;
}

// Takes the episode's one notification of a kind: true for the caller that may send it. At most once
// per episode; a send that fails gives the slot back so the next evaluation tries again.
export async function takeNotificationSlot(db: DbOrTx, id: number, kind: "email" | "webhook"): Promise<boolean> {
  const column = sql.raw(kind === "email" ? "email_sent_at" : "webhook_sent_at");
  const rows = await db.execute(
    sql`update alert_episodes set ${column} = now() where id = ${id} and ${column} is null returning id`,
  );
  return rows.length > 0;
}

export async function giveBackNotificationSlot(db: DbOrTx, id: number, kind: "email" | "webhook") {
  const column = sql.raw(kind === "email" ? "email_sent_at" : "webhook_sent_at");
  await db.execute(sql`update alert_episodes set ${column} = null where id = ${id}`);
}
