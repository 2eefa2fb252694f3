// The local Benefits Intake service (with a local VA Notify beside it): a plain node:http server
// the launcher starts when no Benefits Intake URL is configured, and tests start on port 0.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServiceContext } from "./context";
import { FaultInjector } from "./faults";
import { jsonApiError, sendJson, sleep } from "./http-utils";
import { type LocalBenefitsIntakeOptions, resolveOptions } from "./options";
import { handleAdmin, settingsOf } from "./routes-admin";
import { API_BASE_PATH, handleIntake } from "./routes-intake";
import { handleNotify, NOTIFY_BASE_PATH } from "./routes-notify";
import { handleWebhooks } from "./routes-webhooks";
import { LocationSigner, UploadStore } from "./upload-store";

export interface LocalBenefitsIntake {
  /** Base URL of the API, e.g. http://127.0.0.1:4010/services/vba_documents/v1 */
  url: string;
  /** Base URL of the local VA Notify, e.g. http://127.0.0.1:4010/va-notify */
  notifyUrl: string;
  /** Where /_admin lives, e.g. http://127.0.0.1:4010 */
  origin: string;
  port: number;
  apiKey: string;
  notifyApiKey: string;
  close(): Promise<void>;
}

export async function startLocalBenefitsIntake(options: LocalBenefitsIntakeOptions = {}): Promise<LocalBenefitsIntake> {
  const resolved = resolveOptions(options);
  const clock = { offsetMs: 0 };
  const ctx: ServiceContext = {
    options: resolved,
    store: new UploadStore(resolved.dataDir, resolved.storePayloads),
    faults: new FaultInjector(resolved.faults, resolved.seed),
    signer: new LocationSigner(),
    notifications: [],
    webhooks: [],
    clock,
    now: () => Date.now() + clock.offsetMs,
    requestCounts: {},
    reportSizes: [],
    hanging: new Set(),
  };
  const initialSettings = settingsOf(resolved);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname === "/_health") return sendJson(res, 200, { status: "ok" });
    if (await handleAdmin(ctx, req, res, url, initialSettings)) return;
    if (await handleWebhooks(ctx, req, res, url)) return;
    // Latency applies to what the app calls, not to the test controls above.
    await sleep(ctx.faults.config.latencyMs);
    if (await handleIntake(ctx, req, res, url)) return;
    if (await handleNotify(ctx, req, res, url)) return;
    req.resume();
    sendJson(res, 404, jsonApiError(404, "Not found", `No route for ${req.method} ${url.pathname}`));
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    // Only method and path (never the query: it carries the location's signature) are logged.
    res.on("finish", () => {
      const pathname = (req.url ?? "/").split("?")[0];
      resolved.log(`${req.method} ${pathname} ${res.statusCode} ${Date.now() - started}ms`);
    });
    route(req, res).catch((err: unknown) => {
      resolved.log(
        `error handling ${req.method} ${(req.url ?? "/").split("?")[0]}: ${err instanceof Error ? err.name : typeof err}`,
      );
      if (!res.headersSent) sendJson(res, 500, jsonApiError(500, "Internal server error", "Internal server error"));
      else res.destroy();
    });
  });

  // Longer than Node's 5 s default: a client that blocks its event loop building a large package
  // between two calls should not find its kept-alive socket closed under it (ECONNRESET).
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  resolved.port = port;
  const host = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host;
  const origin = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;

  return {
    url: `${origin}${API_BASE_PATH}`,
    notifyUrl: `${origin}${NOTIFY_BASE_PATH}`,
    origin,
    port,
    apiKey: resolved.apiKey,
    notifyApiKey: resolved.notifyApiKey,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of ctx.hanging) res.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
