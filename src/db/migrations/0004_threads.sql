-- Threads and messages (spec/assistants.md §1.3, §1.7, §2.1–2.10). Runs (a later migration)
-- belong to a thread through `thread_id REFERENCES threads (id) ON DELETE CASCADE`, as messages
-- do. JSON columns hold JSON text; timestamps are Unix microseconds (UTC).

CREATE TABLE threads (
  id             TEXT PRIMARY KEY,  -- "thread_" + 24 hex
  owner_id       TEXT NOT NULL,     -- the account that created it; the only one with access
  parent_id      TEXT,              -- the thread it is a subthread of (T7), or NULL
  created_at     BIGINT NOT NULL,
  metadata       TEXT,              -- JSON object as stored (agent_ids a list), or NULL
  tool_resources TEXT               -- JSON object, stored but never returned (§1.7), or NULL
);
-- GET /v1/threads: the caller's threads, newest first.
CREATE INDEX threads_owner_idx ON threads (owner_id, created_at);
-- Subthreads of a thread (message listings with include_subthreads).
CREATE INDEX threads_parent_idx ON threads (parent_id);

CREATE TABLE messages (
  -- Insertion sequence: the order of a thread's messages (spec §1.4 [REC]: a monotonic
  -- tiebreaker), and the position a list cursor stands for.
  seq          {{ID_PK}},
  id           TEXT NOT NULL UNIQUE,  -- "msg_" + 24 hex
  thread_id    TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  role         TEXT NOT NULL,
  content      TEXT NOT NULL,  -- JSON array of content blocks
  attachments  TEXT,           -- JSON array of {file_id, tools}, or NULL
  metadata     TEXT,           -- JSON object of strings, or NULL
  assistant_id TEXT,
  run_id       TEXT,
  status       TEXT NOT NULL DEFAULT 'completed'
);
-- Message lists walk one thread in sequence order from a cursor: an index range scan, so a
-- page costs the same with 20 or 100,000 messages in the thread.
CREATE INDEX messages_thread_seq_idx ON messages (thread_id, seq);
-- The run_id filter of message lists (and a run's messages, later).
CREATE INDEX messages_run_idx ON messages (run_id, seq);
