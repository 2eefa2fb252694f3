import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";

// Claims the browser tests can put in a retry list, read straight from the app's database.

// Claims the import will accept: never tried, one a veteran, in no batch.
export async function freshClaimIds(n: number): Promise<number[]> {
  const { db, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    const rows = await db.execute(sql`
      select distinct on (file_number) id::int as id from saved_claims
      where triage_state = 'never_tried' and form_type = '21-526EZ' and id = main_claim_id
        and id not in (select claim_id from batch_items)
      order by file_number, submitted_at desc
      limit ${n}`);
    return Array.from(rows as unknown as { id: number }[], (r) => r.id);
  } finally {
    await close();
  }
}
