-- Authentication: the nonce ledger, delegations and permissions (spec/platform.md §2.6, §2.7,
-- §10.4). Timestamps are Unix microseconds (UTC) written by the application, so both engines
-- store and compare them the same way.

CREATE TABLE nonces (
  account_id    TEXT NOT NULL,
  nonce         TEXT NOT NULL,
  message       TEXT NOT NULL,
  recipient     TEXT NOT NULL,
  callback_url  TEXT,
  nonce_status  TEXT NOT NULL CHECK (nonce_status IN ('active', 'revoked')),
  first_seen_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, nonce)
);

CREATE TABLE delegation (
  id                    {{ID_PK}},
  original_account_id   TEXT NOT NULL,
  delegation_account_id TEXT NOT NULL,
  expires_at            BIGINT
);
CREATE INDEX delegation_pair_idx ON delegation (original_account_id, delegation_account_id);
CREATE INDEX delegation_delegate_idx ON delegation (delegation_account_id, original_account_id);

CREATE TABLE permissions (
  id         {{ID_PK}},
  account_id TEXT NOT NULL,
  permission TEXT NOT NULL
);
CREATE INDEX permissions_account_idx ON permissions (account_id, permission);
