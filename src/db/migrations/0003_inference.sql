-- Inference: usage accounting and per-account rate-limit windows (spec/platform.md §4.2.3,
-- docs/inference.md). Timestamps are Unix microseconds (UTC) written by the application.

-- One row per successful inference call. `query` and `response` are JSON text: the value when
-- it is valid JSON, else {"value": <text>}. The *_details columns hold JSON text or NULL.
CREATE TABLE completions (
  id                        {{ID_PK}},
  account_id                TEXT NOT NULL,
  query                     TEXT NOT NULL,
  response                  TEXT NOT NULL,
  model                     TEXT NOT NULL,
  provider                  TEXT NOT NULL,
  endpoint                  TEXT NOT NULL,
  created_at                BIGINT NOT NULL,
  completion_tokens         BIGINT NOT NULL DEFAULT 0,
  prompt_tokens             BIGINT NOT NULL DEFAULT 0,
  total_tokens              BIGINT NOT NULL DEFAULT 0,
  completion_tokens_details TEXT,
  prompt_tokens_details     TEXT
);
CREATE INDEX completions_account_created_idx ON completions (account_id, created_at);

-- Fixed one-minute windows counted with INSERT ... ON CONFLICT DO UPDATE, so that every process
-- on the database shares the same counters. `window_start` is Unix milliseconds.
CREATE TABLE inference_rate_windows (
  account_id   TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  requests     BIGINT NOT NULL DEFAULT 0,
  tokens       BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, window_start)
);
