import { and, asc, desc, eq, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { savedViews, users } from "../schema";

export type SavedViewRow = {
  id: number;
  name: string;
  shared: boolean;
  query: string;
  columns: string[];
  ownerUserId: number;
  ownerName: string;
};

// A person's own views and every view shared with the team, shared first, then by name.
export async function getVisibleViews(db: DbOrTx, userId: number): Promise<SavedViewRow[]> {
  return db
    .select({
      id: savedViews.id,
      name: savedViews.name,
      shared: savedViews.shared,
      query: savedViews.query,
      columns: savedViews.columns,
      ownerUserId: savedViews.ownerUserId,
      ownerName: users.name,
    })
    .from(savedViews)
    .innerJoin(users, eq(users.id, savedViews.ownerUserId))
    .where(or(eq(savedViews.ownerUserId, userId), eq(savedViews.shared, true)))
    .orderBy(desc(savedViews.shared), asc(sql`lower(${savedViews.name})`), asc(savedViews.id));
}

// Saving under a name the owner already used replaces that view (the same name is the same view).
export async function upsertView(
  db: DbOrTx,
  view: { ownerUserId: number; name: string; shared: boolean; query: string; columns: string[] },
): Promise<{ id: number; replaced: boolean }> {
  const [row] = await db
    .insert(savedViews)
    .values(view)
    .onConflictDoUpdate({
      target: [savedViews.ownerUserId, savedViews.name],
      set: { shared: view.shared, query: view.query, columns: view.columns, updatedAt: sql`now()` },
    })
    .returning({ id: savedViews.id, replaced: sql<boolean>`(xmax <> 0)` });
  return { id: Number(row.id), replaced: Boolean(row.replaced) };
}

export async function deleteOwnView(db: DbOrTx, ownerUserId: number, id: number) {
  const rows = await db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.ownerUserId, ownerUserId)))
    .returning({ id: savedViews.id, name: savedViews.name });
  return rows[0] ?? null;
}
