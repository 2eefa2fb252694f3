import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { refreshWaiting } from "./ingest-groups";
import { lockIngest } from "./ingest-records";

// Evidence files received by hash, and the claims their arrival lets start.

export type IngestFile = { sha256: string; byteSize: number; contentType: string; storageKey: string };

export async function getIngestFile(db: DbOrTx, sha256: string): Promise<IngestFile | null> {
  const rows = await db.execute<{ byte_size: string; content_type: string; storage_key: string }>(
    sql`select byte_size, content_type, storage_key from ingest_files where sha256 = ${sha256}`,
  );
  const [row] = Array.from(rows);
  return row
    ? { sha256, byteSize: Number(row.byte_size), contentType: row.content_type, storageKey: row.storage_key }
    : null;
}

// Records the file, then looks again at every main claim that was waiting for evidence and holds a
// reference to it; returns how many no longer wait for anything. Under the ingest lock: a chunk
// settles what its claims wait for under it too (lib/ingest/write-records.ts), so a file either
// arrives before that and is seen, or after the chunk's claims are committed and sees them; never
// in between, which would leave a claim waiting for a file that is there.
export async function recordIngestFile(tx: DbOrTx, file: IngestFile): Promise<number> {
  await lockIngest(tx);
  await tx.execute(sql`
    insert into ingest_files (sha256, byte_size, content_type, storage_key)
    values (${file.sha256}, ${file.byteSize}, ${file.contentType}, ${file.storageKey})
    on conflict (sha256) do nothing`);
  const changed = await refreshWaiting(
    tx,
    sql`select m.id from persistent_attachments pa join saved_claims c on c.id = pa.claim_id
      join saved_claims m on m.id = c.main_claim_id
      where pa.storage_key = ${file.sha256} and m.waiting_for = 'evidence'`,
  );
  return changed.filter((c) => c.waitingFor === null).length;
}
