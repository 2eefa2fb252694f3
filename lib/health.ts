// Health and readiness, for load balancers and orchestrators (docs/design.md §8). Health: the
// process is up and answering, nothing else (so a database outage does not get every process
// restarted). Readiness: it can do its work now: PostgreSQL and the document storage answer, and
// for a worker its queue polling is alive. The answers name each check and whether it passed,
// never why: no error text, hosts, versions or counts, as they are served without a session.

export type ReadinessCheck = () => Promise<void>;
export type Readiness = { ready: boolean; checks: Record<string, "ok" | "failing"> };

// A probe must answer before the prober's own time-out (Kubernetes: 1 s by default, often raised
// to a few): a check that hangs counts as failing.
const CHECK_TIMEOUT_MS = 2_500;

function withinTimeout(check: ReadinessCheck): Promise<"ok" | "failing"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"failing">((resolve) => {
    timer = setTimeout(() => resolve("failing"), CHECK_TIMEOUT_MS);
  });
  const run = Promise.resolve()
    .then(check)
    .then(
      () => "ok" as const,
      () => "failing" as const,
    );
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
}

export async function checkReadiness(checks: Record<string, ReadinessCheck>): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => withinTimeout(checks[name])));
  return {
    ready: results.every((r) => r === "ok"),
    checks: Object.fromEntries(names.map((name, i) => [name, results[i]])),
  };
}

const NO_STORE = { "Cache-Control": "no-store" };

export function healthResponse(): Response {
  return Response.json({ status: "up" }, { headers: NO_STORE });
}

export function readinessResponse(readiness: Readiness): Response {
  return Response.json(
    { status: readiness.ready ? "ready" : "not ready", checks: readiness.checks },
    { status: readiness.ready ? 200 : 503, headers: NO_STORE },
  );
}
