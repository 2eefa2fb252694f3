import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { IDP_CLIENT, IDP_PEOPLE, type IdpPerson } from "./idp-people";

// A real OpenID Connect provider for the browser tests (the oidc-provider package): discovery
// document, authorization code with PKCE, RS256-signed ID tokens carrying email, email_verified,
// name and groups. Its sign-in page asks only for a login from IDP_PEOPLE (no password: these are
// test people), and consent is granted without asking, as a first-party provider would.
// Run by Playwright as the first webServer, before the app, which is told its address.
//   E2E_OIDC_PORT  where to listen       E2E_PORT  the app's port (for the one redirect URI)

const port = Number(process.env.E2E_OIDC_PORT ?? 4100);
const appPort = Number(process.env.E2E_PORT ?? 3100);
const issuer = `http://localhost:${port}`;
const people: IdpPerson[] = Object.values(IDP_PEOPLE);

// The subject is opaque and unrelated to the e-mail, as at a real provider.
const subjectOf = (person: IdpPerson) => `00u${Buffer.from(person.login).toString("hex")}`;

const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: IDP_CLIENT.id,
      client_secret: IDP_CLIENT.secret,
      redirect_uris: [`http://localhost:${appPort}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [{ ...signingKey, kid: "e2e-signing-key", use: "sig", alg: "RS256" }] },
  cookies: { keys: ["e2e-only-cookie-key-not-a-secret"] },
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
  // Put the scopes' claims in the ID token itself, as the app reads them from there.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx: unknown, id: string) {
    const person = people.find((p) => subjectOf(p) === id);
    if (!person) return undefined;
    return {
      accountId: id,
      claims: async () => ({
        sub: id,
        name: person.name,
        email: person.email,
        email_verified: person.emailVerified,
        groups: person.groups,
      }),
    };
  },
  async loadExistingGrant(ctx: KoaContextWithOIDC) {
    const { client, session, result } = ctx.oidc;
    if (!client || !session?.accountId) return undefined;
    const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function signInPage(res: ServerResponse, uid: string, error?: string) {
  res.writeHead(error ? 400 : 200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Login</label> <input id="login" name="login" autocomplete="username" required>
<button type="submit">Sign in</button></form></main></body></html>`);
}

async function readForm(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, submitted: boolean) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid || details.prompt.name !== "login") {
    res.writeHead(400).end("unexpected interaction");
    return;
  }
  if (!submitted) return signInPage(res, uid);
  const login = (await readForm(req)).get("login")?.trim();
  const person = people.find((p) => p.login === login);
  if (!person) return signInPage(res, uid, "No such test person.");
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: subjectOf(person) } },
    { mergeWithLastSubmission: false },
  );
}

const handle = provider.callback();
const server = createServer((req, res) => {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? "/", issuer).pathname);
  if (!match) return handle(req, res);
  interaction(req, res, match[1], req.method === "POST" && Boolean(match[2])).catch((e) => {
    res.writeHead(500).end(e instanceof Error ? e.name : "error");
  });
});

server.listen(port, () => console.log(`[test-idp] OpenID provider at ${issuer}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
