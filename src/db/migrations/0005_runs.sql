-- Runs and their events (spec/assistants.md §2.11-2.14, §3, §4). JSON columns hold JSON text;
-- timestamps are Unix microseconds (UTC).

CREATE TABLE runs (
  -- Creation order: the tiebreaker of the work queue.
  seq           {{ID_PK}},
  id            TEXT NOT NULL UNIQUE,  -- "run_" + 24 hex
  thread_id     TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  owner_id      TEXT NOT NULL,         -- the account that created it (the thread's owner)
  assistant_id  TEXT NOT NULL,         -- the agent as given ("ns/name/version", maybe a list)
  status        TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  started_at    BIGINT,
  expires_at    BIGINT,  -- the run's deadline: past it, an unfinished run becomes `expired`
  cancelled_at  BIGINT,
  failed_at     BIGINT,
  completed_at  BIGINT,
  last_error    TEXT,    -- {"code", "message"} when the hub ended the run
  model         TEXT NOT NULL DEFAULT '',
  instructions  TEXT,
  tools         TEXT,
  metadata      TEXT,
  -- The sampling and truncation options of the request, kept as given: temperature, top_p,
  -- max_prompt_tokens, max_completion_tokens, truncation_strategy, response_format,
  -- tool_choice, parallel_tool_calls.
  options       TEXT NOT NULL,
  parent_run_id TEXT,
  child_run_ids TEXT NOT NULL,        -- JSON array of run ids
  run_mode      TEXT NOT NULL,        -- SIMPLE or WITH_CALLBACK, by name as the original stores it
  -- The work queue: a run waiting for a worker has the time it may start; workers claim it
  -- (setting this to NULL) with FOR UPDATE SKIP LOCKED on PostgreSQL. NULL for delegated runs
  -- and for runs already claimed.
  execute_at    BIGINT,
  -- The creating request's signed token, forwarded to the runner unchanged (spec §6.2: the
  -- runner verifies it and calls back with it). Cleared when the run has been executed.
  auth          TEXT,
  -- How many events the run has: the next event's position. Taking a position updates this
  -- row, which locks it until the event's transaction ends, so a run's events commit in
  -- position order even when several processes write them.
  event_count   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX runs_thread_idx ON runs (thread_id);
CREATE INDEX runs_queue_idx ON runs (execute_at, seq);
-- The deadline sweeper looks for unfinished runs whose time is up.
CREATE INDEX runs_status_expires_idx ON runs (status, expires_at);

-- What a run's stream subscribers receive, in `seq` order (the original's `deltas` table):
-- message deltas relayed from chat completions and the run's status changes. `data` is the JSON
-- of the frame's "data" member. Rows are purged after a retention period.
-- `seq` is the event's position in its run (1, 2, ...), not a table-wide sequence: with one
-- sequence for all runs, two PostgreSQL transactions could commit their rows out of sequence
-- order, and a subscriber whose cursor had passed the later number would never see the other.
CREATE TABLE run_events (
  run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq        BIGINT NOT NULL,
  event      TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX run_events_created_idx ON run_events (created_at);
