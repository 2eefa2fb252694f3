import { type SQL, sql } from "drizzle-orm";
import { QUEUE_SCHEMA } from "../boss";

// Queue SQL that pg-boss's API does not offer lives in lib/jobs/sql/, one operation a file, named
// after what it does (graphile-worker's src/sql/*.ts), so no other module spells the queue's schema
// or tables.

// A trusted constant (a queue name from a job module) as a literal rather than a parameter: the
// planner then picks the queue's partition of the job table when it plans, as it did when the
// name was written in the statement.
const literal = (value: string) => sql.raw(`'${value.replaceAll("'", "''")}'`);

// The live job (waiting, retrying or running; a running one first) of a stately queue with a
// given singleton key, as a row source for a lateral join: `left join lateral ${…} j on true`.
// Written to match pg-boss's index on stately queues (name, state, coalesce(singleton_key, '')
// where state <= 'active' and policy = 'stately'), states and policy as literals the planner can
// prove that predicate from: without it, a 40,000-claim batch waiting in the queue made each
// lookup a scan of the job table, and the lookups of a status poll took minutes.
export function liveStatelyJob(queueName: string, singletonKey: SQL): SQL {
  return sql`(
    select id, state, started_on from ${sql.identifier(QUEUE_SCHEMA)}.job j
    where j.name = ${literal(queueName)} and j.policy = 'stately' and j.state in ('created', 'retry', 'active')
      and coalesce(j.singleton_key, '') = ${singletonKey}
    order by (j.state = 'active') desc limit 1)`;
}
