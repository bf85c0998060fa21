-- Registry: entries, tags, stars, forks and their counters (spec/platform.md §6, §7.1–7.2,
-- §10.4). Table names follow the original. Permissions reuse the `permissions` table of
-- 0001_auth.sql. Timestamps are Unix microseconds (UTC). Text comparisons are exact
-- (case-sensitive) on both engines: `Alice.near` and `alice.near` are different namespaces.

CREATE TABLE registry_entry (
  id          {{ID_PK}},
  namespace   TEXT NOT NULL,
  name        TEXT NOT NULL,
  version     TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  category    TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  details     TEXT NOT NULL DEFAULT '{}',  -- JSON object, never NULL (spec §6.7 [BUG])
  show_entry  INTEGER NOT NULL DEFAULT 1,  -- 0 or 1
  UNIQUE (namespace, name, version)
);
-- `latest` resolution: the highest id per (namespace, name).
CREATE INDEX registry_entry_name_idx ON registry_entry (namespace, name, id);
-- The listing's latest-version filter ("no newer row of this name and category") as one point
-- lookup per candidate row. Without it the planner answers that test from the category index,
-- scanning every newer entry of the category: 36 s for a tag filter at 100,000 entries.
CREATE INDEX registry_entry_latest_idx ON registry_entry (namespace, name, category, id);
-- Category listings in the default order (newest first).
CREATE INDEX registry_entry_category_idx ON registry_entry (category, id);

-- The tags of an entry, in the order they were uploaded.
CREATE TABLE entry_tags (
  registry_id BIGINT NOT NULL,
  tag         TEXT NOT NULL,
  position    INTEGER NOT NULL,
  PRIMARY KEY (registry_id, tag)
);
CREATE INDEX entry_tags_tag_idx ON entry_tags (tag, registry_id);

-- Stars are per (namespace, name), not per version; the entry need not exist.
CREATE TABLE stars (
  account_id TEXT NOT NULL,
  namespace  TEXT NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (account_id, namespace, name)
);

-- An entry name is the target of at most one fork per category.
CREATE TABLE forks (
  category       TEXT NOT NULL,
  from_namespace TEXT NOT NULL,
  from_name      TEXT NOT NULL,
  to_namespace   TEXT NOT NULL,
  to_name        TEXT NOT NULL,
  PRIMARY KEY (category, to_namespace, to_name)
);
CREATE INDEX forks_from_idx ON forks (from_namespace, from_name, category);

-- Counters kept in the same transaction as the star and fork rows, so that listings read one
-- row per entry instead of counting stars and forks on every request.
CREATE TABLE registry_star_counts (
  namespace TEXT NOT NULL,
  name      TEXT NOT NULL,
  stars     BIGINT NOT NULL,
  PRIMARY KEY (namespace, name)
);

CREATE TABLE registry_fork_counts (
  category  TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name      TEXT NOT NULL,
  forks     BIGINT NOT NULL,
  PRIMARY KEY (category, namespace, name)
);
