// Where a page starts when it was reached by Next or Previous: just after (or before) the row with
// this key, so the server reads one index range instead of skipping every row before it. The key is
// opaque outside the query that made it; that query reads it back and ignores one it cannot read.
export type PageSeek = { direction: "after" | "before"; key: string };
