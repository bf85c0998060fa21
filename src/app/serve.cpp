#include "app/serve.h"

#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "agents/find_agents_routes.h"
#include "agents/schedule_routes.h"
#include "api/dispatcher.h"
#include "app/blob_options.h"
#include "app/config.h"
#include "app/inference_wiring.h"
#include "app/runs_wiring.h"
#include "app/settings.h"
#include "app/system_routes.h"
#include "app/version.h"
#include "auth/authenticator.h"
#include "db/database.h"
#include "http/server.h"
#include "inference/gateway.h"
#include "openapi/docs_routes.h"
#include "openapi/document.h"
#include "platform/delegation_routes.h"
#include "platform/nonce_routes.h"
#include "registry/routes.h"
#include "registry/service.h"
#include "threads/routes.h"
#include "threads/service.h"
#include "threads/thread_topics.h"
#include "util/json.h"

namespace nearhub::app {

namespace {

struct ServeArguments {
  std::string config_file;
  std::map<std::string, std::string> flags;  // setting flag → value, only those given
};

std::chrono::milliseconds milliseconds(const Config& config, const std::string& key) {
  return std::chrono::milliseconds(config.integer(key));
}

http::ServerOptions server_options(const Config& config) {
  http::ServerOptions options;
  options.host = config.text("server.host");
  options.port = static_cast<unsigned short>(config.integer("server.port"));
  options.io_threads = static_cast<unsigned>(config.integer("server.io_threads"));
  options.worker_threads = static_cast<unsigned>(config.integer("server.worker_threads"));
  options.max_header_bytes = static_cast<std::size_t>(config.integer("server.max_header_bytes"));
  options.header_timeout = milliseconds(config, "server.header_timeout_ms");
  options.body_timeout = milliseconds(config, "server.body_timeout_ms");
  options.idle_timeout = milliseconds(config, "server.idle_timeout_ms");
  options.shutdown_grace = milliseconds(config, "server.shutdown_grace_ms");
  options.access_log = config.boolean("server.access_log");
  options.cors_credential_origins = config.list("server.cors_credential_origins");
  options.spool_dir = config.text("storage.spool_dir");
  if (options.spool_dir.empty()) {
    options.spool_dir = (std::filesystem::path(config.text("storage.data_dir")) / "tmp").string();
  }
  return options;
}

auth::AuthOptions auth_options(const Config& config) {
  auth::AuthOptions options;
  options.accepted_recipients = config.list("auth.recipients");
  options.ownership.verifiers = config.list("auth.key_ownership");
  options.ownership.rpc_url = config.text("auth.rpc_url");
  options.ownership.rpc_allow_function_call_keys =
      config.boolean("auth.rpc_allow_function_call_keys");
  options.ownership.fastnear_url = config.text("auth.fastnear_url");
  options.ownership.static_keys_file = config.text("auth.static_keys_file");
  options.ownership.timeout = milliseconds(config, "auth.outbound_timeout_ms");
  options.ownership_cache_ttl = std::chrono::seconds(config.integer("auth.ownership_cache_ttl_s"));
  options.token_cache_ttl = std::chrono::seconds(config.integer("auth.token_cache_ttl_s"));
  options.token_cache_capacity =
      static_cast<std::size_t>(config.integer("auth.token_cache_capacity"));
  return options;
}

registry::RegistryOptions registry_options(const Config& config) {
  registry::RegistryOptions options;
  options.admin_accounts = config.list("registry.admin_accounts");
  options.max_file_bytes = static_cast<std::uint64_t>(config.integer("registry.max_file_bytes"));
  options.blob_prefix = config.text("registry.blob_prefix");
  options.trusted_runner_api_keys = config.list("auth.trusted_runner_api_keys");  // spec §2.8
  return options;
}

std::string database_url(const Config& config) {
  const std::string& url = config.text("storage.database");
  if (!url.empty()) return url;
  return "sqlite:" + (std::filesystem::path(config.text("storage.data_dir")) / "hub.db").string();
}

// SIGTERM and SIGINT are blocked in every thread and collected by sigwait in main, so that a
// signal arrives at one well-defined place and the shutdown runs as ordinary code.
sigset_t shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

void serve(const ServeArguments& arguments) {
  const sigset_t signals = shutdown_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts

  const Config config =
      Config::load(arguments.flags, arguments.config_file, Config::process_environment());
  // Logs go to stderr: stdout carries only the "listening on" line that scripts wait for.
  spdlog::set_default_logger(spdlog::stderr_color_mt("nearhub"));
  spdlog::set_level(spdlog::level::from_str(config.text("log.level")));

  std::filesystem::create_directories(config.text("storage.data_dir"));
  db::DatabaseOptions database_options;
  database_options.pool_size =
      static_cast<std::size_t>(config.integer("storage.database_pool_size"));
  std::unique_ptr<db::Database> database = db::open(database_url(config), database_options);
  database->migrate();

  auth::Authenticator authenticator(auth_options(config), *database);

  // Registry files live in the blob store (docs/deployment.md "Blob storage").
  std::unique_ptr<blob::BlobStore> blobs = blob::open_blob_store(blob_store_options(config));
  registry::RegistryService registry_service(*database, *blobs, registry_options(config));
  threads::ThreadService thread_service(*database);
  // Before the server and destroyed after it: workers stop, streams end.
  RunsArea runs(config, *database, registry_service, thread_service);
  // Likewise: on shutdown, upstream streams end and usage rows are written. Feeds run streams.
  InferenceArea inference(config, *database, runs.delta_sink());
  // Thread names come from a model through the gateway, when one is configured.
  std::unique_ptr<threads::ThreadTopics> topics;
  if (const std::string& model = config.text("threads.topic_model"); !model.empty()) {
    topics = std::make_unique<threads::ThreadTopics>(
        *database, [&inference, model](const nlohmann::json& messages) {
          return inference.gateway().chat_text(model, messages);
        });
    thread_service.set_topics(topics.get());
  }

  api::RouteTable table;
  add_system_routes(table);
  inference.add_routes(table);
  platform::add_nonce_routes(table, *database);
  platform::add_delegation_routes(table, *database);
  registry::add_registry_routes(table, registry_service);
  registry::add_permission_routes(table, *database);
  threads::add_thread_routes(table, thread_service);
  runs.add_routes(table);
  agents::add_find_agents_routes(table, registry_service);
  agents::add_schedule_routes(table, *database, thread_service);
  // The document describes every route, the docs routes included, so it is built on first use.
  openapi::add_docs_routes(table, [&table] {
    static std::once_flag once;
    static std::string document;
    std::call_once(once, [&] {
      document = util::dump_json(openapi::openapi_document(table, {std::string(kVersion)}));
    });
    return document;
  });

  api::Dispatcher dispatcher(table, authenticator,
                             static_cast<std::size_t>(config.integer("server.max_body_bytes")));
  http::Server server(server_options(config), dispatcher);
  server.start();
  // Agents reach the hub on loopback unless runs.api_url says otherwise.
  const std::string& host = config.text("server.host");
  const bool any_address = host.empty() || host == "0.0.0.0" || host == "::";
  // An IPv6 address is bracketed in a URL: http://[::1]:8081.
  const std::string url_host = host.find(':') == std::string::npos ? host : "[" + host + "]";
  runs.start("http://" + (any_address ? std::string("127.0.0.1") : url_host) + ":" +
             std::to_string(server.port()));
  std::cout << "nearhub " << kVersion << " listening on http://" << url_host << ":" << server.port()
            << std::endl;

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("signal {} received: finishing in-flight requests", signal_number);
  server.stop();
  server.wait();
  runs.stop();  // no run adds a message (or names a thread) once the areas below start to go
  spdlog::info("stopped");
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto arguments = std::make_shared<ServeArguments>();
  CLI::App* command = app.add_subcommand("serve", "Run the hub server");
  command->add_option("--config", arguments->config_file, "TOML configuration file");
  for (const Setting& setting : settings()) {
    if (setting.flag.empty()) continue;
    command->add_option_function<std::string>(
        setting.flag,
        [arguments, flag = setting.flag](const std::string& value) {
          arguments->flags[flag] = value;
        },
        setting.description + " (" + setting.env + ")");
  }
  command->callback([arguments] {
    try {
      serve(*arguments);
    } catch (const std::exception& error) {
      std::cerr << "nearhub: " << error.what() << std::endl;
      throw CLI::RuntimeError(1);
    }
  });
}

void add_config_reference_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "config-reference", "Print every configuration key as the Markdown table of the docs");
  command->callback([] { std::cout << settings_markdown(); });
}

}  // namespace nearhub::app
