import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { healthResponse, type Readiness, readinessResponse } from "../health";

// A worker serves no web pages, so an orchestrator has nothing to probe unless it listens:
// GET /health (the process is up) and GET /ready (lib/jobs/worker.ts says what ready means) on
// WORKER_HEALTH_PORT, the same answers as the web app's /api/health and /api/ready. Nothing else
// is served, and nothing is read from the request but its method and path.

export async function startWorkerHealthServer(port: number, readiness: () => Promise<Readiness>) {
  const server = createServer((req, res) => {
    const path = req.url?.split("?")[0];
    const answer =
      req.method !== "GET" && req.method !== "HEAD"
        ? Promise.resolve(Response.json({ error: "Method not allowed." }, { status: 405 }))
        : path === "/health"
          ? Promise.resolve(healthResponse())
          : path === "/ready"
            ? readiness().then(readinessResponse)
            : Promise.resolve(Response.json({ error: "Not found." }, { status: 404 }));
    void answer.then(async (response) => {
      const body = await response.text();
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(req.method === "HEAD" ? undefined : body);
    });
  });
  // A probe keeps no connection open that would hold the worker's exit.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
