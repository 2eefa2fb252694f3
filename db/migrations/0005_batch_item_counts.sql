CREATE TABLE "batch_item_counts" (
	"batch_id" bigint NOT NULL,
	"state" "batch_item_state" NOT NULL,
	"shard" smallint NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "batch_item_counts_batch_id_state_shard_pk" PRIMARY KEY("batch_id","state","shard")
);
--> statement-breakpoint
-- Kept by statement-level triggers with transition tables: one aggregate per statement, so making a
-- 40,000-item batch adds a handful of rows, not 40,000 row triggers. (PostgreSQL allows no column
-- list on a trigger with transition tables: every UPDATE of batch_items runs the move, which finds
-- nothing to move unless a state changed.) Rows are written in (batch, state) order, so two
-- transactions that share a shard take its row locks in the same order and cannot deadlock.
CREATE FUNCTION batch_item_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO batch_item_counts (batch_id, state, shard, n)
  SELECT batch_id, state, pg_backend_pid() % 16, count(*) FROM new_items GROUP BY batch_id, state ORDER BY batch_id, state
  ON CONFLICT (batch_id, state, shard) DO UPDATE SET n = batch_item_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION batch_item_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO batch_item_counts (batch_id, state, shard, n)
  SELECT batch_id, state, pg_backend_pid() % 16, sum(d)
  FROM (SELECT batch_id, state, 1 AS d FROM new_items UNION ALL SELECT batch_id, state, -1 FROM old_items) moves
  GROUP BY batch_id, state HAVING sum(d) <> 0 ORDER BY batch_id, state
  ON CONFLICT (batch_id, state, shard) DO UPDATE SET n = batch_item_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION batch_item_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO batch_item_counts (batch_id, state, shard, n)
  SELECT batch_id, state, pg_backend_pid() % 16, -count(*) FROM old_items GROUP BY batch_id, state ORDER BY batch_id, state
  ON CONFLICT (batch_id, state, shard) DO UPDATE SET n = batch_item_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION batch_item_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM batch_item_counts;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Writers wait while the triggers go in and the counts are taken, so none is missed or doubled.
LOCK TABLE batch_items IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
CREATE TRIGGER batch_items_counts_insert AFTER INSERT ON batch_items REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION batch_item_counts_add();
--> statement-breakpoint
CREATE TRIGGER batch_items_counts_update AFTER UPDATE ON batch_items REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION batch_item_counts_move();
--> statement-breakpoint
CREATE TRIGGER batch_items_counts_delete AFTER DELETE ON batch_items REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION batch_item_counts_remove();
--> statement-breakpoint
CREATE TRIGGER batch_items_counts_truncate AFTER TRUNCATE ON batch_items FOR EACH STATEMENT EXECUTE FUNCTION batch_item_counts_clear();
--> statement-breakpoint
INSERT INTO batch_item_counts (batch_id, state, shard, n) SELECT batch_id, state, 0, count(*) FROM batch_items GROUP BY batch_id, state;
