-- Refusals keep the server's stable code beside its reason, so the phone
-- can explain a refusal in the worker's language. Empty for refusals kept
-- before codes (the reason text is still there).
ALTER TABLE refusal ADD COLUMN code TEXT NOT NULL DEFAULT '';
