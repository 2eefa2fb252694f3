import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// Every way into the app from outside a page, found in the source rather than listed by hand: route
// handlers (app/**/route.ts, each exported HTTP method) and server actions (every export of a
// "use server" module). tests/integration/authorization.test.ts checks each one it finds.

const ROOT = process.cwd();
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const STATE_CHANGING: readonly HttpMethod[] = ["POST", "PUT", "PATCH", "DELETE"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

// "/api/batches/[id]/progress" for app/api/batches/[id]/progress/route.ts; route groups vanish.
export function routePathOf(file: string): string {
  const segments = path.dirname(file).split(path.sep).slice(1);
  return `/${segments.filter((s) => !/^\(.*\)$/.test(s)).join("/")}`;
}

export type RouteEndpoint = { key: string; path: string; method: HttpMethod; file: string };

export async function discoverRoutes(): Promise<RouteEndpoint[]> {
  const files = sourceFiles("app").filter((f) => /(^|\/)route\.tsx?$/.test(f));
  const found: RouteEndpoint[] = [];
  for (const file of files) {
    const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") {
        const routePath = routePathOf(file);
        found.push({ key: `${method} ${routePath}`, path: routePath, method, file });
      }
    }
  }
  return found.sort((a, b) => a.key.localeCompare(b.key));
}

// The text before a module's first statement: comments and blank lines only.
const DIRECTIVE = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use server["']/;
const ANY_USE_SERVER = /["']use server["']/g;

export type ActionEndpoint = { key: string; name: string; file: string; call: (input: unknown) => Promise<unknown> };

export async function discoverServerActions(): Promise<{ actions: ActionEndpoint[]; inline: string[] }> {
  const files = ["app", "lib", "components"].flatMap(sourceFiles);
  const actions: ActionEndpoint[] = [];
  // A "use server" inside a function makes an action no module scan would find by its exports:
  // they are kept to modules, so each is found here.
  const inline: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const isModule = DIRECTIVE.test(text);
    const count = text.match(ANY_USE_SERVER)?.length ?? 0;
    if (count > (isModule ? 1 : 0)) inline.push(file);
    if (!isModule) continue;
    const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== "function") continue;
      actions.push({ key: `${file}#${name}`, name, file, call: value as (input: unknown) => Promise<unknown> });
    }
  }
  return { actions: actions.sort((a, b) => a.key.localeCompare(b.key)), inline };
}
