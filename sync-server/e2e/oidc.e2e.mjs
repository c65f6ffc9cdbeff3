// OpenID Connect sign-in in headless Debian Chromium against a real,
// certified OpenID provider (the npm oidc-provider, started here on a
// loopback port) and a real feltlogg-server with demo data and password
// sign-in switched off. An admin links team lead A by e-mail and lead B by
// subject (passwords still on); then, OIDC only: lead A signs in through
// the provider, sees only unit A's queue and approves a shift (the audit
// log shows the provider's subject); a replayed callback, an unlinked
// account, and ID tokens with a wrong signature, a wrong audience, an
// expiry in the past or a replayed nonce are each refused with a clear
// page (the test's token endpoint re-signs them with the provider's own
// key); the provider rotates its key and the next sign-in follows it while
// a token under the dropped key is refused; the sessions page lists the
// sign-in and "sign out everywhere" ends it. Screenshots: artifacts/oidc/.
//
// Run: cargo build -p feltlogg-server && node sync-server/e2e/oidc.e2e.mjs

import { chromium } from "playwright-core";
import Provider from "oidc-provider";
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK } from "jose";
import http from "node:http";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHROMIUM_FLAGS, axe, freePort, runDemo, sql, startServer, steps } from "./lib.mjs";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, "../..");
const BIN = process.env.FELTLOGG_SERVER_BIN ?? path.join(ROOT, "target/debug/feltlogg-server");
const ARTIFACTS = path.join(ROOT, "artifacts/oidc");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CLIENT_ID = "feltlogg-e2e";
const CLIENT_SECRET = "e2e-client-secret-not-for-real-use";

const { step, check, finish } = steps();

// ---- the OpenID provider, with a token endpoint the test can make lie ----

async function rsaKey(kid) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
}

/** What the token endpoint does to the next ID token: null (nothing) or a mode. */
let tamper = null;
let currentKey;
let oldKey;

async function resign(payload, key) {
  const priv = await importJWK(key, "RS256");
  return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" }).sign(priv);
}

async function tampered(idToken, mode) {
  const payload = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case "signature": {
      const [h, p, s] = idToken.split(".");
      const mid = Math.floor(s.length / 2);
      const flipped = s.slice(0, mid) + (s[mid] === "A" ? "B" : "A") + s.slice(mid + 1);
      return `${h}.${p}.${flipped}`;
    }
    case "aud": return resign({ ...payload, aud: "another-client" }, currentKey);
    case "expired": return resign({ ...payload, iat: now - 7200, exp: now - 3600 }, currentKey);
    case "nonce": return resign({ ...payload, nonce: "a-nonce-from-an-earlier-sign-in" }, currentKey);
    case "oldkey": return resign(payload, oldKey);
    default: throw new Error(`no tamper mode ${mode}`);
  }
}

async function startProvider(port, keys) {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${base}/login/oidc/callback`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    }],
    jwks: { keys },
    // Any login at the dev login form is an account; its login is its subject.
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@oslo.example`, email_verified: true }),
    }),
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    conformIdTokenClaims: false,
    cookies: { keys: ["e2e-cookie-signing-key"] },
    features: { devInteractions: { enabled: true } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
  });
  provider.on("server_error", (_ctx, err) => console.log("provider error:", err));
  const handle = provider.callback();
  const server = http.createServer((req, res) => {
    if (req.method === "POST" && req.url.startsWith("/token") && tamper) {
      const mode = tamper;
      const end = res.end.bind(res);
      res.end = (chunk, ...rest) => {
        const body = JSON.parse(Buffer.from(chunk).toString("utf8"));
        tampered(body.id_token, mode).then((tok) => {
          const out = JSON.stringify({ ...body, id_token: tok });
          if (!res.headersSent) res.setHeader("content-length", Buffer.byteLength(out));
          end(out);
        });
        return res;
      };
    }
    handle(req, res);
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { issuer, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

// ---- the server, the demo, the browser ----

mkdirSync(ARTIFACTS, { recursive: true });
const tmp = mkdtempSync(path.join(os.tmpdir(), "feltlogg-oidc-"));
const db = path.join(tmp, "demo.db");
const demo = runDemo(BIN, db);
const port = await freePort();
const opPort = await freePort();
const base = `http://127.0.0.1:${port}`;
const issuer = `http://127.0.0.1:${opPort}`;
Object.assign(process.env, {
  FELTLOGG_PUBLIC_URL: base,
  FELTLOGG_OIDC_ISSUER: issuer,
  FELTLOGG_OIDC_CLIENT_ID: CLIENT_ID,
  FELTLOGG_OIDC_CLIENT_SECRET: CLIENT_SECRET,
});
currentKey = await rsaKey("key-1");
let provider = await startProvider(opPort, [currentKey]);
let server = await startServer(BIN, db, port);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });

const [[unitA, unitAName]] = sql(db, "SELECT u.id, u.name FROM units u JOIN shifts s ON s.unit_id = u.id AND s.status = 'closed' GROUP BY u.id ORDER BY count(*) DESC, u.name LIMIT 1");
const leadA = demo.signIns.find((s) => s.role === "team_lead" && s.unit === unitAName);
const admin = demo.signIns.find((s) => s.role === "admin");
const [[leadAId]] = sql(db, `SELECT id FROM users WHERE username = '${leadA.username}'`);
const leadB = demo.signIns.find((s) => s.role === "team_lead" && s.unit !== unitAName);
const [[leadBId]] = sql(db, `SELECT id FROM users WHERE username = '${leadB.username}'`);

async function newPage() {
  // bypassCSP: the pages forbid every script; axe-core is injected by the test.
  const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  return ctx.newPage();
}

/**
 * From our sign-in page through the provider's login and consent and back.
 * Resolves with the callback's response (its URL kept for replay tests).
 */
async function oidcSignIn(page, login) {
  await page.goto(`${base}/login`);
  const callback = page.waitForResponse((r) => r.url().startsWith(`${base}/login/oidc/callback`), { timeout: 20000 });
  await page.click("a[href^='/login/oidc']");
  await page.waitForSelector("input[name=login]");
  await page.fill("input[name=login]", login);
  await page.fill("input[name=password]", "any-password");
  await page.click("button[type=submit]");
  // Consent, when the provider asks for it.
  const consent = page.waitForSelector("input[name=prompt][value=consent]", { state: "attached", timeout: 5000 }).then(() => true, () => false);
  const answered = await Promise.race([callback.then(() => "callback"), consent.then((c) => (c ? "consent" : "none"))]);
  if (answered === "consent") await page.click("button[type=submit]");
  const resp = await callback.catch(async (e) => {
    const text = await page.locator("body").innerText().catch(() => "");
    throw new Error(`no callback; the browser is at ${page.url()}: ${text.slice(0, 500)}\n${e.message}`);
  });
  await page.waitForLoadState("load");
  return resp;
}

async function refused(name, mode, reason) {
  const page = await newPage();
  tamper = mode;
  try {
    const resp = await oidcSignIn(page, "lead-a");
    check(resp.status() === 400, `${name}: callback answered ${resp.status()}`);
    const text = await page.locator("main").innerText();
    check(text.includes("Innloggingen med kommunens konto ble avvist"), `${name}: page says ${text}`);
    check(reason.test(text), `${name}: reason ${reason} not in ${text}`);
    check(new URL(page.url()).pathname === "/login/oidc/callback", `${name}: moved on to ${page.url()}`);
    await page.screenshot({ path: path.join(ARTIFACTS, `refused-${mode}.png`), fullPage: true });
    console.log(`     ${name}: ${(await page.locator("main code").innerText()).slice(0, 160)}`);
    const review = await page.goto(`${base}/review`);
    check(new URL(review.url()).pathname === "/login", `${name}: signed in after all (${review.url()})`);
  } finally {
    tamper = null;
    await page.context().close();
  }
}

await step("an admin links lead A by e-mail and lead B by subject (passwords still on)", async () => {
  const page = await newPage();
  await page.goto(`${base}/login`);
  await page.fill("#username", admin.username);
  await page.fill("#password", admin.secret);
  await Promise.all([page.waitForURL(/\/review/), page.click("form[action='/login'] button[type=submit]")]);
  await page.goto(`${base}/admin/users/${leadAId}/sign-in`);
  const bad = await axe(page);
  check(bad.length === 0, `axe: ${bad.map((v) => v.id).join(", ")}`);
  await page.fill("#email", "lead-a@oslo.example");
  await Promise.all([page.waitForURL(/sign-in$/), page.click("form[action$='/oidc'] button")]);
  await page.goto(`${base}/admin/users/${leadBId}/sign-in`);
  await page.fill("#subject", "lead-b");
  await Promise.all([page.waitForURL(/sign-in$/), page.click("form[action$='/oidc'] button")]);
  const links = sql(db, "SELECT user_id, coalesce(subject, ''), coalesce(email, '') FROM oidc_links ORDER BY email");
  check(links.length === 2, `links ${JSON.stringify(links)}`);
  check(sql(db, "SELECT count(*) FROM audit_log WHERE action = 'oidc_link'")[0][0] === "2", "links audited");
  await page.context().close();
});

await step("with password sign-in off, only the municipality's account is offered", async () => {
  server.child.kill("SIGTERM");
  await new Promise((r) => server.child.once("exit", r));
  process.env.FELTLOGG_PASSWORD_LOGIN = "false";
  server = await startServer(BIN, db, port);
  const page = await newPage();
  await page.goto(`${base}/login`);
  check(await page.locator("#password").count() === 0, "a password field is still offered");
  check(await page.locator("a[href^='/login/oidc']").count() === 1, "no provider button");
  const bad = await axe(page);
  check(bad.length === 0, `axe: ${bad.map((v) => v.id).join(", ")}`);
  const post = await page.request.post(`${base}/login`, { form: { username: leadA.username, password: leadA.secret, csrf: "x" }, maxRedirects: 0 });
  check(post.status() === 403, `password post answered ${post.status()}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "login-oidc-only.png"), fullPage: true });
  await page.context().close();
});

const lead = await newPage();
let callbackUrl = "";
await step("lead A signs in through the provider, sees only unit A's queue and approves a shift", async () => {
  const resp = await oidcSignIn(lead, "lead-a");
  callbackUrl = resp.url();
  check(resp.status() === 200, `callback answered ${resp.status()}`);
  await lead.waitForURL(/\/review/);
  const ids = await lead.locator("tbody input[name=shift]").evaluateAll((els) => els.map((e) => e.value));
  const expected = sql(db, `SELECT id FROM shifts WHERE unit_id = '${unitA}' AND status = 'closed' AND deleted = 0 ORDER BY coalesce(closed_ms, started_ms), id`).map((r) => r[0]);
  check(JSON.stringify(ids) === JSON.stringify(expected), `queue ${ids} != SQL ${expected}`);
  const units = await lead.locator("tbody tr td:nth-child(4)").allTextContents();
  check(units.length > 0 && units.every((u) => u === unitAName), `other units listed: ${units}`);
  await lead.goto(`${base}/shifts/${ids[0]}`);
  await Promise.all([lead.waitForURL(/msg=approved/), lead.click("#approve")]);
  const [[st]] = sql(db, `SELECT status FROM shifts WHERE id = '${ids[0]}'`);
  check(st === "approved", `status ${st}`);
  const [[linked]] = sql(db, `SELECT subject FROM oidc_links WHERE user_id = '${leadAId}'`);
  check(linked === "lead-a", `first sign-in linked subject ${linked}`);
  const login = sql(db, `SELECT username, detail FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1`)[0];
  check(login[0] === leadA.username && login[1] === "method=oidc subject=lead-a", `audit login ${login}`);
  const [[by]] = sql(db, `SELECT username FROM audit_log WHERE action = 'shift_approve' AND target = '${ids[0]}'`);
  check(by === leadA.username, `approved by ${by}`);
  await lead.screenshot({ path: path.join(ARTIFACTS, "lead-a-after-approve.png"), fullPage: true });
});

await step("the same callback replayed (a used state) is refused", async () => {
  const page = await lead.context().newPage();
  const r = await page.goto(callbackUrl);
  check(r.status() === 400, `replay answered ${r.status()}`);
  const text = await page.locator("main").innerText();
  check(/already used or has expired/.test(text), `replay page says ${text}`);
  await page.close();
});

await step("lead B, linked by subject, sees only unit B's shifts", async () => {
  const page = await newPage();
  await oidcSignIn(page, "lead-b");
  await page.waitForURL(/\/review/);
  const units = await page.locator("tbody tr td:nth-child(4)").allTextContents();
  check(units.every((u) => u === leadB.unit), `lead B sees ${units}`);
  await page.context().close();
});

await step("an account the admin has not linked is refused with a clear page", async () => {
  const page = await newPage();
  const resp = await oidcSignIn(page, "stranger");
  check(resp.status() === 403, `callback answered ${resp.status()}`);
  const text = await page.locator("main").innerText();
  check(/ikke koblet til en bruker/.test(text), `page says ${text}`);
  const bad = await axe(page);
  check(bad.length === 0, `axe: ${bad.map((v) => v.id).join(", ")}`);
  await page.context().close();
});

await step("an ID token with a wrong signature is refused", () => refused("signature", "signature", /ID token was refused/));
await step("an ID token for another audience is refused", () => refused("aud", "aud", /ID token was refused.*audience/is));
await step("an expired ID token is refused", () => refused("expired", "expired", /ID token was refused.*expired/is));
await step("an ID token with a replayed nonce is refused", () => refused("nonce", "nonce", /ID token was refused.*nonce/is));

await step("the provider rotates its key: the new key is followed, the dropped one refused", async () => {
  oldKey = currentKey;
  currentKey = await rsaKey("key-2");
  await provider.close();
  provider = await startProvider(opPort, [currentKey]);
  const page = await newPage();
  const resp = await oidcSignIn(page, "lead-a");
  check(resp.status() === 200, `sign-in after rotation answered ${resp.status()}`);
  await page.waitForURL(/\/review/);
  await page.context().close();
  await refused("dropped key", "oldkey", /ID token was refused/);
});

await step("the sessions page lists the provider sign-in and 'sign out everywhere' ends it", async () => {
  await lead.goto(`${base}/account/sessions`);
  const text = await lead.locator("main").innerText();
  check(text.includes("oidc") && text.includes("127.0.0.1"), `sessions page: ${text}`);
  const bad = await axe(lead);
  check(bad.length === 0, `axe: ${bad.map((v) => v.id).join(", ")}`);
  await lead.screenshot({ path: path.join(ARTIFACTS, "sessions.png"), fullPage: true });
  await Promise.all([lead.waitForURL(/\/login/), lead.click("form[action='/account/sessions/end-all'] button")]);
  const r = await lead.goto(`${base}/review`);
  check(new URL(r.url()).pathname === "/login", `still signed in: ${r.url()}`);
  const [[n]] = sql(db, `SELECT count(*) FROM sessions WHERE user_id = '${leadAId}'`);
  check(n === "0", `${n} sessions left`);
});

await browser.close();
server.child.kill("SIGTERM");
await provider.close();
rmSync(tmp, { recursive: true, force: true });
finish();
