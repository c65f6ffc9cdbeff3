// The only door to the Rust side: the generated, typed commands, with
// their `{status, data | error}` results turned into values or a thrown
// CommandError. Nothing else in the UI calls Tauri.

import { commands, type AppError } from "./bindings";

/** A refused or failed command, carrying the typed error. */
export class CommandError extends Error {
  constructor(readonly app: AppError) {
    super(app.message);
  }
}

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };
type Unwrapped<F> = F extends (...args: infer A) => Promise<Outcome<infer T>>
  ? (...args: A) => Promise<T>
  : never;
type Api = { [K in keyof typeof commands]: Unwrapped<(typeof commands)[K]> };

/** Framework-level failures (ACL, bad arguments) reject with a string. */
function asAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "kind" in e && "message" in e) return e as AppError;
  return { kind: "internal", message: String(e), field: null, finding: null, wait_secs: null };
}

function wrap(): Api {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(commands)) {
    out[name] = async (...args: unknown[]) => {
      const r = (await (fn as (...a: unknown[]) => Promise<Outcome<unknown>>)(...args)) as Outcome<unknown>;
      if (r.status === "ok") return r.data;
      throw new CommandError(asAppError(r.error));
    };
  }
  return out as Api;
}

/** The typed commands, returning data or throwing [`CommandError`]. */
export const api: Api = wrap();
