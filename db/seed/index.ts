import type { Sql } from "postgres";
import { createDb } from "../client";
import { OVERVIEW_VIEWS } from "../queries/overview";
import { copyRows } from "./copy";
import { createSeedGenerator, emptyRows, HISTORICAL_BATCHES, type SeedRows } from "./generate";
import { createRandom } from "./random";
import { type SeedStorage, storeSampleAttachments } from "./sample-files";
import { seedUsers } from "./users";

const COLUMNS: Record<keyof SeedRows, [string, string[]]> = {
  claimGroups: ["claim_groups", ["id", "parent_claim_id", "status"]],
  savedClaims: [
    "saved_claims",
    [
      "id",
      "guid",
      "form_type",
      "form_data",
      "veteran_first_name",
      "veteran_last_name",
      "file_number",
      "file_last4",
      "zip_code",
      "email",
      "submitted_at",
      "group_id",
      "main_claim_id",
      "duplicate_of",
      "triage_state",
      "black_hole",
      "failure_notified",
      "failure_reason",
      "attempt_count",
      "latest_attempt_status",
      "latest_batch_id",
    ],
  ],
  primarySubmissions: [
    "primary_submissions",
    [
      "id",
      "claim_id",
      "status",
      "error_class",
      "error_message",
      "failed_at",
      "shown_as_success",
      "failure_notice_sent",
    ],
  ],
  persistentAttachments: [
    "persistent_attachments",
    ["id", "claim_id", "file_name", "content_type", "storage_key", "byte_size"],
  ],
  backupSubmissions: [
    "backup_submissions",
    ["id", "claim_id", "form_type", "latest_status", "in_flight_since", "created_at", "updated_at"],
  ],
  backupAttempts: [
    "backup_attempts",
    [
      "id",
      "submission_id",
      "claim_id",
      "attempt_number",
      "retry_number",
      "status",
      "benefits_intake_uuid",
      "error_class",
      "error_code",
      "error_message",
      "http_status",
      "transient",
      "trigger",
      "batch_id",
      "started_at",
      "submitted_at",
      "finished_at",
      "end_state_at",
    ],
  ],
  batchItems: ["batch_items", ["id", "batch_id", "claim_id", "state", "note", "attempt_id", "updated_at"]],
  notifications: [
    "notifications",
    [
      "id",
      "claim_id",
      "attempt_id",
      "template",
      "recipient",
      "personalisation",
      "status",
      "provider_id",
      "tries",
      "created_at",
      "sent_at",
    ],
  ],
};

// Tables in foreign-key order.
const ORDER: (keyof SeedRows)[] = [
  "claimGroups",
  "savedClaims",
  "primarySubmissions",
  "persistentAttachments",
  "backupSubmissions",
  "backupAttempts",
  "batchItems",
  "notifications",
];

async function flush(sql: Sql, rows: SeedRows) {
  for (const key of ORDER) {
    const [table, columns] = COLUMNS[key];
    await copyRows(sql, table, columns, rows[key]);
  }
}

export async function isSeeded(sql: Sql) {
  const [row] = await sql`select value from app_meta where key = 'seeded_at'`;
  return Boolean(row);
}

export async function runSeed(
  url: string,
  options: { claims: number; storage: SeedStorage; now?: Date; log?: (s: string) => void },
) {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const { sql, close } = createDb(url, { max: 2 });
  try {
    if (await isSeeded(sql)) {
      log("demo data already present; skipping seed");
      return;
    }
    const started = Date.now();
    await seedUsers(sql);
    const [admin] = await sql`select id from users where email = 'admin@example.com'`;
    for (const b of HISTORICAL_BATCHES) {
      const at = new Date(now.getTime() - b.daysAgo * 86_400_000);
      await sql`insert into batches (id, name, source, reason, state, rate_per_minute, item_count, created_by_user_id, created_at, started_at, finished_at, historical)
        values (${b.id}, ${b.name}, 'import', 'Master retry list reviewed by VA; re-enqueued from the console', 'completed', 600, 0, ${admin.id}, ${at.toISOString()}, ${at.toISOString()}, ${new Date(at.getTime() + 10 * 3600_000).toISOString()}, 1)`;
    }
    const attachments = await storeSampleAttachments(options.storage);
    const generator = createSeedGenerator(createRandom(20221), now, attachments);
    let made = 0;
    let veteran = 0;
    let rows = emptyRows();
    let pending = 0;
    while (made < options.claims) {
      const n = generator.addVeteran(rows, ++veteran);
      made += n;
      pending += n;
      if (pending >= 20_000) {
        await flush(sql, rows);
        rows = emptyRows();
        pending = 0;
        log(`seeded ${made} claims`);
      }
    }
    await flush(sql, rows);
    await finishSeed(sql, generator.departures, now);
    await sql`insert into app_meta (key, value) values ('seeded_at', ${now.toISOString()}), ('seed_claims', ${String(made)})`;
    log(`seeded ${made} claims in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await close();
  }
}

async function finishSeed(sql: Sql, departures: Map<string, number>, now: Date) {
  for (const table of [
    "claim_groups",
    "saved_claims",
    "primary_submissions",
    "persistent_attachments",
    "backup_submissions",
    "backup_attempts",
    "batches",
    "batch_items",
    "notifications",
  ]) {
    await sql.unsafe(
      `select setval(pg_get_serial_sequence('${table}', 'id'), greatest((select max(id) from ${table}), 1))`,
    );
  }
  await sql`update batches b set item_count = (select count(*) from batch_items i where i.batch_id = b.id)`;
  // The burn-down's history: walk back from today's outstanding count, adding back each day's departures.
  const [{ outstanding }] =
    await sql`select count(*)::int as outstanding from saved_claims where triage_state in ('never_tried', 'failed')`;
  let count = outstanding as number;
  const today = now.toISOString().slice(0, 10);
  for (let d = 0; d <= 60; d++) {
    const day = new Date(now.getTime() - d * 86_400_000).toISOString().slice(0, 10);
    if (day !== today)
      await sql`insert into outstanding_daily (day, outstanding) values (${day}, ${count}) on conflict (day) do nothing`;
    count += departures.get(day) ?? 0;
  }
  // Vacuum sets the visibility map, so list pages can be answered from the covering index alone.
  await sql`vacuum analyze`;
  await sql.unsafe(OVERVIEW_VIEWS.map((v) => `refresh materialized view ${v};`).join("\n"));
  await sql`insert into app_meta (key, value) values ('overview_refreshed_at', ${new Date().toISOString()}) on conflict (key) do update set value = excluded.value`;
}
