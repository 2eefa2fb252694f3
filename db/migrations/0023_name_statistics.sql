-- The name expressions' statistics target: 200, not 1000 (migration 0009). The demo's 140 full
-- names (14 first × 10 last, db/seed/people.ts) all fit a 200-value MCV list, so a name nobody has
-- still reads as absent and the search stays an index lookup (2 ms at a million claims; 4.7 s with
-- the default 100, which leaves 40 names out of the list). ANALYZE samples 300 rows per unit of the
-- largest target of any column or index expression: 1000 made every analyze of saved_claims read
-- 300,000 rows and sort each of its columns' values (11.7 s at a million claims against 2.0 s), and
-- autovacuum analyzes the table about once a minute during a bulk import.
ALTER INDEX "saved_claims_full_name_key_idx" ALTER COLUMN 1 SET STATISTICS 200;
--> statement-breakpoint
ALTER INDEX "saved_claims_last_name_key_idx" ALTER COLUMN 1 SET STATISTICS 200;
