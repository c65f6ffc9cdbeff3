// Turns a command error into words for the worker, in their language.

import type { AppError } from "./bindings";
import { CommandError } from "./api";
import { has, t, type Key } from "./i18n";

/** Any thrown value as an AppError. */
export function toAppError(e: unknown): AppError {
  if (e instanceof CommandError) return e.app;
  if (e && typeof e === "object" && "kind" in e && "message" in e) return e as AppError;
  const message = e instanceof Error ? e.message : String(e);
  return { kind: "internal", message, field: null, finding: null, wait_secs: null };
}

/** The anonymity screen's refusal: which field, what was found, where. */
function personalData(e: AppError): string {
  const f = e.finding;
  if (!f) return e.message;
  const fieldKey = `field.${e.field ?? "note"}`;
  return t("error.personal_data", {
    field: has(fieldKey) ? t(fieldKey) : (e.field ?? ""),
    what: t(`finding.${f.kind}` as Key),
    from: f.start + 1,
    to: f.end,
  });
}

/** The error in plain words. */
export function errorText(err: unknown): string {
  const e = toAppError(err);
  if (e.kind === "personal_data") return personalData(e);
  const key = `error.${e.kind}`;
  if (!has(key)) return t("common.failed", { message: e.message });
  return t(key, { message: e.message, secs: e.wait_secs ?? 0 });
}
