// A webhook receiver beside the local services, so tests and demos can see what the app delivered
// (the alerts' Slack-format webhook): POST /webhooks/<name> keeps the JSON body, GET /webhooks/<name>
// lists what arrived there, DELETE /webhooks/<name> forgets it. Answers as Slack does: 200 "ok".

import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceContext } from "./context";
import { readJson, sendJson } from "./http-utils";

const MAX_KEPT = 1_000;

export async function handleWebhooks(
  ctx: ServiceContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const match = /^\/webhooks\/([\w-]{1,64})$/.exec(url.pathname);
  if (!match) return false;
  const name = match[1];
  if (req.method === "GET") {
    sendJson(res, 200, { data: ctx.webhooks.filter((w) => w.name === name) });
  } else if (req.method === "DELETE") {
    ctx.webhooks = ctx.webhooks.filter((w) => w.name !== name);
    sendJson(res, 200, { data: [] });
  } else if (req.method === "POST") {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      res.writeHead(400, { "content-type": "text/plain" }).end("invalid_payload");
      return true;
    }
    ctx.webhooks.push({ name, body, received_at: new Date().toISOString() });
    if (ctx.webhooks.length > MAX_KEPT) ctx.webhooks.shift();
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  } else {
    req.resume();
    sendJson(res, 405, { error: "method not allowed" });
  }
  return true;
}
