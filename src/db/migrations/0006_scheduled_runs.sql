-- Agent runs scheduled for later (spec/assistants.md §11.1, §11.3): POST /v1/schedule_run inserts
-- a row; a worker claims the due rows (agents/schedule_store.h claim_due_scheduled_runs) and
-- starts each run. Timestamps are Unix microseconds (UTC); JSON columns hold JSON text.

CREATE TABLE scheduled_runs (
  id            {{ID_PK}},
  created_by    TEXT NOT NULL,  -- the scheduling account; the run is made on its behalf
  agent         TEXT NOT NULL,  -- "namespace/name/version" as given ("latest" resolved at run time)
  input_message TEXT NOT NULL,  -- the user message the run starts with
  run_params    TEXT NOT NULL,  -- JSON object of strings; `model` is the one read
  -- The caller's thread, or NULL for a new thread at run time. Deleting the thread removes the
  -- runs scheduled on it: there is nothing left for them to run on.
  thread_id     TEXT REFERENCES threads (id) ON DELETE CASCADE,
  run_at        BIGINT NOT NULL,
  has_run       INTEGER NOT NULL DEFAULT 0,  -- 0 or 1: claimed by a worker
  created_at    BIGINT NOT NULL,
  -- The scheduling request's signed token (JSON text, without "Bearer "). The run is executed
  -- with it: the runner receives the caller's own signed token and verifies it (spec §6.2), and
  -- nothing else could stand in for the caller later. It is a credential, so it is kept only
  -- until the row is claimed (set to NULL then).
  auth          TEXT
);
-- The worker's question, "due and not run yet", reads only the pending rows, however long the
-- history grows.
CREATE INDEX scheduled_runs_due_idx ON scheduled_runs (run_at, id) WHERE has_run = 0;
