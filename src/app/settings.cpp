#include "app/settings.h"

#include <fmt/format.h>

namespace nearhub::app {

namespace {

const char* type_name(SettingType type) {
  switch (type) {
    case SettingType::String:
      return "string";
    case SettingType::Integer:
      return "integer";
    case SettingType::Boolean:
      return "boolean";
    case SettingType::StringList:
      return "list of strings";
  }
  return "";
}

std::string type_text(const Setting& setting) {
  if (setting.type == SettingType::Integer) return fmt::format("integer ≥ {}", setting.minimum);
  return type_name(setting.type);
}

}  // namespace

const std::vector<Setting>& settings() {
  using enum SettingType;
  static const std::vector<Setting> all = {
      {"server.host", "NEARHUB_HOST", "--host", String, "0.0.0.0", "Address to listen on."},
      {"server.port", "NEARHUB_PORT", "--port", Integer, "8081",
       "TCP port to listen on; 0 picks a free port (the chosen one is printed at start-up)."},
      {"server.io_threads", "NEARHUB_IO_THREADS", "--io-threads", Integer, "1",
       "Threads that run sockets and parsing; they never block.", 1},
      {"server.worker_threads", "NEARHUB_WORKER_THREADS", "--worker-threads", Integer, "4",
       "Threads that run request handlers (database work; upstream calls wait without one).", 1},
      {"server.max_body_bytes", "NEARHUB_MAX_BODY_BYTES", "", Integer, "1048576",
       "Largest request body accepted by routes without their own limit (413 above it)."},
      {"server.max_header_bytes", "NEARHUB_MAX_HEADER_BYTES", "", Integer, "16384",
       "Largest request header block (431 above it).", 1},
      {"server.header_timeout_ms", "NEARHUB_HEADER_TIMEOUT_MS", "", Integer, "10000",
       "Time a client has to send the whole request header (408 after it)."},
      {"server.body_timeout_ms", "NEARHUB_BODY_TIMEOUT_MS", "", Integer, "60000",
       "Time a client has to send the whole request body (408 after it)."},
      {"server.idle_timeout_ms", "NEARHUB_IDLE_TIMEOUT_MS", "", Integer, "75000",
       "A keep-alive connection with no new request is closed after this long."},
      {"server.shutdown_grace_ms", "NEARHUB_SHUTDOWN_GRACE_MS", "", Integer, "20000",
       "On SIGTERM, time in-flight requests get to finish."},
      {"server.access_log", "NEARHUB_ACCESS_LOG", "", Boolean, "true", "Log one line per request."},
      {"server.cors_credential_origins", "NEARHUB_CORS_CREDENTIAL_ORIGINS", "", StringList, "",
       "Origins (e.g. https://app.example.com) that browsers may call with credentials; any "
       "other origin gets `Access-Control-Allow-Origin: *` without credentials."},
      {"storage.data_dir", "NEARHUB_DATA_DIR", "--data-dir", String, "./data",
       "Directory for the SQLite database and blobs."},
      {"storage.spool_dir", "NEARHUB_SPOOL_DIR", "", String, "",
       "Directory where large uploads are written while they arrive (removed when the request "
       "ends). Empty means `<data_dir>/tmp`."},
      {"storage.database", "NEARHUB_DATABASE", "--database", String, "",
       "Database URL: `sqlite:PATH` or `postgres://...`. Empty means `sqlite:<data_dir>/hub.db`."},
      {"storage.database_pool_size", "NEARHUB_DATABASE_POOL_SIZE", "", Integer, "8",
       "Database connections kept open.", 1},
      // --- blob storage (docs/deployment.md "Blob storage") ---
      {"storage.blob_store", "NEARHUB_BLOB_STORE", "", String, "filesystem",
       "Where registry files and uploaded files live: `filesystem` (a directory) or `s3` (an "
       "S3-compatible bucket)."},
      {"storage.blob_dir", "NEARHUB_BLOB_DIR", "", String, "",
       "Root directory of the `filesystem` blob store. Empty means `<data_dir>/blobs`."},
      {"storage.s3_bucket", "NEARHUB_S3_BUCKET", "", String, "",
       "Bucket of the `s3` blob store (addressed path-style: `<endpoint>/<bucket>/<key>`)."},
      {"storage.s3_prefix", "NEARHUB_S3_PREFIX", "", String, "",
       "Prefix put before every key in the bucket, e.g. `hub` (no leading or trailing slash "
       "needed)."},
      {"storage.s3_endpoint", "NEARHUB_S3_ENDPOINT", "", String, "",
       "Base URL of the S3-compatible service (MinIO, R2, ...). Empty means "
       "`https://s3.<region>.amazonaws.com`."},
      {"storage.s3_region", "NEARHUB_S3_REGION", "", String, "us-east-1",
       "Region the requests are signed for (AWS Signature Version 4)."},
      {"storage.s3_access_key_env", "NEARHUB_S3_ACCESS_KEY_ENV", "", String, "AWS_ACCESS_KEY_ID",
       "Name of the environment variable that holds the S3 access key id (the key itself never "
       "goes in the configuration)."},
      {"storage.s3_secret_key_env", "NEARHUB_S3_SECRET_KEY_ENV", "", String,
       "AWS_SECRET_ACCESS_KEY", "Name of the environment variable that holds the S3 secret key."},
      {"storage.s3_session_token_env", "NEARHUB_S3_SESSION_TOKEN_ENV", "", String,
       "AWS_SESSION_TOKEN",
       "Name of the environment variable that holds the session token of temporary S3 "
       "credentials (an IAM role's); unset or empty: the keys are long-lived."},
      {"auth.recipients", "NEARHUB_AUTH_RECIPIENTS", "", StringList, "ai.near",
       "NEP-413 recipients a token may be signed for; tokens for any other recipient are "
       "refused. An empty list accepts any recipient, as the original hub does."},
      {"auth.key_ownership", "NEARHUB_AUTH_KEY_OWNERSHIP", "", StringList, "implicit",
       "How to check that the signing key belongs to the account, tried in order: `implicit` "
       "(account id is the hex public key, offline), `rpc` (NEAR JSON-RPC view_access_key), "
       "`fastnear` (the original hub's public-key lookup), `static` (a JSON file of account → "
       "keys)."},
      {"auth.rpc_url", "NEARHUB_AUTH_RPC_URL", "", String, "https://rpc.mainnet.near.org",
       "NEAR JSON-RPC endpoint used by the `rpc` key-ownership check."},
      {"auth.rpc_allow_function_call_keys", "NEARHUB_AUTH_RPC_ALLOW_FUNCTION_CALL_KEYS", "",
       Boolean, "false",
       "Accept function-call access keys in the `rpc` check (full-access keys only otherwise)."},
      {"auth.fastnear_url", "NEARHUB_AUTH_FASTNEAR_URL", "", String, "https://api.fastnear.com",
       "Base URL of the `fastnear` key-ownership check."},
      {"auth.static_keys_file", "NEARHUB_AUTH_STATIC_KEYS_FILE", "", String, "",
       "JSON file `{\"alice.near\": [\"ed25519:...\"]}` for the `static` key-ownership check."},
      {"auth.ownership_cache_ttl_s", "NEARHUB_AUTH_OWNERSHIP_CACHE_TTL_S", "", Integer, "300",
       "How long a confirmed key ownership is remembered (refusals are not remembered)."},
      {"auth.token_cache_ttl_s", "NEARHUB_AUTH_TOKEN_CACHE_TTL_S", "", Integer, "60",
       "How long a verified signature is remembered. Revocation and delegation are checked "
       "on every request regardless."},
      {"auth.token_cache_capacity", "NEARHUB_AUTH_TOKEN_CACHE_CAPACITY", "", Integer, "10000",
       "Most verified tokens remembered at once.", 1},
      {"auth.outbound_timeout_ms", "NEARHUB_AUTH_OUTBOUND_TIMEOUT_MS", "", Integer, "5000",
       "Timeout of key-ownership lookups over the network."},
      // --- hub-signed completions and trusted runners (spec §2.8, §3) ---
      {"auth.trusted_runner_api_keys", "NEARHUB_AUTH_TRUSTED_RUNNER_API_KEYS", "", StringList, "",
       "`runner_api_key` values (sent in a token's `runner_data`) of the agent runners the hub "
       "trusts: their chat completions are signed for the agent they name. Empty: nothing is "
       "trusted (the original read a JSON array from `TRUSTED_RUNNER_API_KEYS`)."},
      {"inference.hub_private_key_env", "NEARHUB_INFERENCE_HUB_PRIVATE_KEY_ENV", "", String,
       "HUB_PRIVATE_KEY",
       "Name of the environment variable that holds the hub's signing key (`ed25519:` + base58 "
       "of 64 bytes), from which each agent's key is derived. Unset: completions are not signed "
       "and `/v1/get_agent_public_key` answers 503."},
      // --- registry (docs/registry.md) ---
      {"registry.admin_accounts", "NEARHUB_REGISTRY_ADMIN_ACCOUNTS", "", StringList, "",
       "Accounts that may read private entries, write any entry's metadata and upload files to "
       "the `near.ai` namespace. Empty by default (the original hard-codes its list)."},
      {"registry.max_file_bytes", "NEARHUB_REGISTRY_MAX_FILE_BYTES", "", Integer, "1073741824",
       "Largest file `upload_file` accepts (413 above it)."},
      {"registry.blob_prefix", "NEARHUB_REGISTRY_BLOB_PREFIX", "", String, "registry",
       "First segment of registry file keys in the blob store: "
       "`<prefix>/<namespace>/<name>/<version>/<path>`."},
      {"log.level", "NEARHUB_LOG_LEVEL", "--log-level", String, "info",
       "trace, debug, info, warn, error or off."},
      // --- inference (docs/inference.md; providers are the [providers.<name>] tables) ---
      {"inference.default_provider", "NEARHUB_INFERENCE_DEFAULT_PROVIDER", "", String, "",
       "Provider used for a model id without `provider::`. Empty: the only configured provider "
       "when there is exactly one."},
      {"inference.default_model", "NEARHUB_INFERENCE_DEFAULT_MODEL", "", String,
       "fireworks::accounts/fireworks/models/mixtral-8x22b-instruct",
       "Model of a completions or chat request that names none."},
      {"inference.default_embedding_model", "NEARHUB_INFERENCE_DEFAULT_EMBEDDING_MODEL", "", String,
       "fireworks::nomic-ai/nomic-embed-text-v1.5",
       "Model of an embeddings request that names none."},
      {"inference.default_image_model", "NEARHUB_INFERENCE_DEFAULT_IMAGE_MODEL", "", String,
       "fireworks::accounts/fireworks/models/playground-v2-1024px-aesthetic",
       "Model of an image request whose model is missing, null or empty."},
      {"inference.connect_timeout_ms", "NEARHUB_INFERENCE_CONNECT_TIMEOUT_MS", "", Integer, "10000",
       "Time to connect to a provider."},
      {"inference.read_timeout_ms", "NEARHUB_INFERENCE_READ_TIMEOUT_MS", "", Integer, "600000",
       "Longest wait for a whole answer (non-streaming) or between two pieces of a stream."},
      {"inference.retries", "NEARHUB_INFERENCE_RETRIES", "", Integer, "2",
       "Extra attempts after a connection error, 429 or 5xx from a provider (never once a "
       "stream has started)."},
      {"inference.retry_backoff_ms", "NEARHUB_INFERENCE_RETRY_BACKOFF_MS", "", Integer, "250",
       "Wait before the first retry; doubled for each further one, at most 10 s."},
      {"inference.models_cache_ttl_s", "NEARHUB_INFERENCE_MODELS_CACHE_TTL_S", "", Integer, "300",
       "How long the merged GET /v1/models list is kept."},
      {"inference.rate_limit_requests_per_minute",
       "NEARHUB_INFERENCE_RATE_LIMIT_REQUESTS_PER_MINUTE", "", Integer, "0",
       "Inference requests one account may make per minute (0 = no limit); shared by every "
       "process on the database; 429 with Retry-After above it."},
      {"inference.rate_limit_tokens_per_minute", "NEARHUB_INFERENCE_RATE_LIMIT_TOKENS_PER_MINUTE",
       "", Integer, "0",
       "Tokens (prompt + completion) one account may use per minute (0 = no limit)."},
      {"inference.usage_batch_size", "NEARHUB_INFERENCE_USAGE_BATCH_SIZE", "", Integer, "100",
       "Usage rows written to the `completions` table in one transaction.", 1},
      {"inference.usage_flush_interval_ms", "NEARHUB_INFERENCE_USAGE_FLUSH_INTERVAL_MS", "",
       Integer, "1000", "Longest time a usage row waits before it is written."},
      // --- threads (docs/threads.md) ---
      {"threads.topic_model", "NEARHUB_THREADS_TOPIC_MODEL", "", String, "",
       "Model that names threads (`metadata.topic`, a few words) after their latest user "
       "message, e.g. `local::llama3.1`; the call is the hub's own (no usage row). Empty: "
       "threads are not named."},
      // --- runs and agents (docs/agents.md) ---
      {"runs.api_url", "NEARHUB_RUNS_API_URL", "", String, "",
       "The hub's URL as agents reach it, without `/v1` (the runner payload's `api_url`, and "
       "where prompt agents call completions). Empty: `http://127.0.0.1:<port>`."},
      {"runs.runner", "NEARHUB_RUNS_RUNNER", "", String, "none",
       "Who executes agents that are not prompt agents: `http` (POST the run to "
       "`runs.runner_url`), `subprocess` (the run on the stdin of `runs.runner_command`) or "
       "`none` (such runs fail with a clear last_error). Prompt agents always run inside "
       "nearhub."},
      {"runs.runner_url", "NEARHUB_RUNS_RUNNER_URL", "", String, "",
       "URL of the `http` runner, e.g. the official runner image's "
       "`http://host:9009/2015-03-31/functions/function/invocations`; `%PORT%` takes a port "
       "from `runs.runner_ports`."},
      {"runs.runner_ports", "NEARHUB_RUNS_RUNNER_PORTS", "", StringList, "",
       "Ports for `%PORT%` in `runs.runner_url`, one per agent, reused oldest first."},
      {"runs.runner_command", "NEARHUB_RUNS_RUNNER_COMMAND", "", StringList, "",
       "The `subprocess` runner's program and arguments (the first item is the program)."},
      {"runs.runner_env_passthrough", "NEARHUB_RUNS_RUNNER_ENV_PASSTHROUGH", "", StringList,
       "PATH,HOME,LANG",
       "Environment variables the `subprocess` runner inherits; it gets nothing else."},
      {"runs.timeout_s", "NEARHUB_RUNS_TIMEOUT_S", "", Integer, "600",
       "How long a run may execute; then the runner is stopped and the run expires.", 1},
      {"runs.delegated_timeout_s", "NEARHUB_RUNS_DELEGATED_TIMEOUT_S", "", Integer, "600",
       "How long a run created with `delegate_execution` may wait for its outcome before it "
       "expires.",
       1},
      {"runs.workers", "NEARHUB_RUNS_WORKERS", "", Integer, "4",
       "Queued runs one process executes at once; more wait in the queue (in the database). "
       "0: this process takes none (other processes on the database do). As many again (at "
       "least one) for runs whose caller waits (`POST /v1/agent/runs`); more wait in memory."},
      {"runs.poll_interval_ms", "NEARHUB_RUNS_POLL_INTERVAL_MS", "", Integer, "1000",
       "How often the queue, deadlines and scheduled runs are checked besides wake-ups.", 1},
      {"runs.deadline_grace_ms", "NEARHUB_RUNS_DEADLINE_GRACE_MS", "", Integer, "30000",
       "How long after its deadline an unfinished run is expired by maintenance (a run whose "
       "process died)."},
      {"runs.event_retention_s", "NEARHUB_RUNS_EVENT_RETENTION_S", "", Integer, "86400",
       "How long run events (what streams replay) are kept."},
      {"runs.stream_timeout_s", "NEARHUB_RUNS_STREAM_TIMEOUT_S", "", Integer, "600",
       "A run stream open this long gets `thread.run.expired` and ends.", 1},
      {"runs.stream_heartbeat_s", "NEARHUB_RUNS_STREAM_HEARTBEAT_S", "", Integer, "15",
       "Idle run streams get a comment line this often.", 1},
  };
  return all;
}

const std::vector<DynamicTable>& dynamic_tables() {
  static const std::vector<DynamicTable> all = {
      {"providers",
       "One `[providers.<name>]` table per inference provider: `base_url` (OpenAI-compatible, "
       "e.g. `http://127.0.0.1:8000/v1`), optional `api_key_env` (variable holding the key) and "
       "`models` (otherwise listed from `GET {base_url}/models`). See docs/inference.md."},
      {"inference.fallbacks",
       "`\"provider::model\" = [\"other::model\", ...]`: models tried in order when a model's "
       "provider fails."},
  };
  return all;
}

std::string settings_markdown() {
  std::string out =
      "| TOML key | environment variable | flag | type | default | meaning |\n"
      "| --- | --- | --- | --- | --- | --- |\n";
  for (const Setting& s : settings()) {
    out += fmt::format("| `{}` | `{}` | {} | {} | {} | {} |\n", s.key, s.env,
                       s.flag.empty() ? "" : "`" + s.flag + "`", type_text(s),
                       s.default_value.empty() ? "(empty)" : "`" + s.default_value + "`",
                       s.description);
  }
  return out;
}

}  // namespace nearhub::app
