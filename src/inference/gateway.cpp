#include "inference/gateway.h"

#include <algorithm>
#include <future>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/error.h"
#include "inference/completion_signer.h"
#include "inference/model_resolution.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::inference {

namespace {

using Json = nlohmann::json;

http::Response json_response(const Json& body) {
  return http::Response::json_text(200, util::dump_json(body));
}

Json parse_upstream(const std::string& body) {
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw api::Error::http(502, "The provider answered something that is not a JSON object");
  }
  return parsed;
}

// The usage of a stream its client abandoned: the provider's usage chunk never came, so the
// completion is counted as one token per chunk of text relayed, the prompt not at all.
Json estimated_usage(std::int64_t text_chunks) {
  return {{"prompt_tokens", 0}, {"completion_tokens", text_chunks}, {"total_tokens", text_chunks}};
}

// Python repr of a JSON string or list, as the original stored an embeddings input (§4.6).
std::string python_repr(const Json& value) {
  if (value.is_string()) {
    std::string out = "'";
    for (char c : value.get<std::string>()) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  }
  if (value.is_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i) out += ", ";
      out += python_repr(value[i]);
    }
    return out + "]";
  }
  return python_str(value);
}

std::optional<std::string> header(const api::Call& call, std::string_view name) {
  auto value = call.request.headers.get(name);
  if (!value || value->empty()) return std::nullopt;
  return std::string(*value);
}

}  // namespace

Gateway::Gateway(ProviderConfig providers, GatewayOptions options, RateLimiter& limiter,
                 UsageWriter& usage, RunDeltaSink& deltas, const CompletionSigner* signer)
    : providers_(std::move(providers)),
      options_(std::move(options)),
      limiter_(limiter),
      usage_(usage),
      deltas_(deltas),
      signer_(signer),
      calls_(options_.upstream),
      models_(providers_, calls_.client(), options_.upstream, options_.models_cache_ttl) {}

Gateway::~Gateway() {
  calls_.stop();
  // A stream whose deltas were still being written finishes through this gateway.
  deltas_.flush();
}

std::vector<Target> Gateway::targets(const ModelRef& model) const {
  std::vector<Target> out{{model, providers_.find(model.provider)}};
  const auto it = providers_.fallbacks.find(model.id());
  if (it == providers_.fallbacks.end()) return out;
  for (const std::string& id : it->second) {
    // Fallback ids were checked when the configuration was loaded.
    const ModelRef ref = resolve_model(id, std::nullopt, providers_);
    out.push_back({ref, providers_.find(ref.provider)});
  }
  return out;
}

std::optional<http::Response> Gateway::check_rate_limit(const api::Identity& caller) {
  const auto wait = limiter_.admit(caller.account_id, util::now_unix_ms());
  if (!wait) return std::nullopt;
  http::Response response = api::json(
      {{"detail", fmt::format("Rate limit exceeded: try again in {} seconds", *wait)}}, 429);
  response.headers.set("Retry-After", std::to_string(*wait));
  return response;
}

std::string Gateway::requested_model(const Json& body, const std::string& fallback) const {
  if (body.contains("model") && body["model"].is_string() &&
      !body["model"].get<std::string>().empty()) {
    return body["model"].get<std::string>();
  }
  // A default naming a provider this hub lacks would otherwise read "Provider not supported",
  // which does not tell the caller that the model was not theirs.
  const auto split = fallback.find("::");
  if (split != std::string::npos && !providers_.providers.empty() &&
      !providers_.find(fallback.substr(0, split))) {
    throw api::Error::http(
        400, fmt::format("No model was given, and the default model '{}' names a provider that "
                         "is not configured (see the inference.default_*model settings)",
                         fallback));
  }
  return fallback;
}

void Gateway::record_stream_usage(StreamRelay::Callbacks& callbacks, const api::Identity& caller,
                                  const ModelRef& model, std::string endpoint,
                                  std::string query_text) {
  callbacks.on_finish = [this, caller, model, endpoint, query_text](const std::string& chunks,
                                                                    const Json& usage) {
    record(caller, model, endpoint, query_text, chunks, usage);
  };
  callbacks.on_abandoned = [this, caller, model, endpoint, query_text](const std::string& chunks,
                                                                       std::int64_t text_chunks) {
    record(caller, model, endpoint, query_text, chunks, estimated_usage(text_chunks));
  };
}

ModelRef Gateway::model_of(const Json& request, const std::string& default_model) const {
  const Json provider = request.value("provider", Json());
  return resolve_model(
      requested_model(request, default_model),
      provider.is_string() ? std::optional<std::string>(provider.get<std::string>()) : std::nullopt,
      providers_);
}

void Gateway::record(const api::Identity& caller, const ModelRef& model,
                     const std::string& endpoint, const std::string& query_text,
                     const std::string& response_text, const Json& usage) {
  UsageRow row;
  row.account_id = caller.account_id;
  row.query = json_or_value(query_text);
  row.response = json_or_value(response_text);
  row.model = model.model;
  row.provider = model.provider;
  row.endpoint = endpoint;
  row.created_at = util::now_unix_us();
  apply_usage(row, usage);
  usage_.add(std::move(row));
}

void Gateway::sign_response(const api::Identity& caller, const ModelRef& model, const Json& request,
                            Json& response) const {
  if (!signer_) return;
  sign_chat_completion_if_trusted(*signer_, caller, options_.trusted_runner_api_keys, model.id(),
                                  request, response);
}

http::Response Gateway::models() { return models_.list(); }

std::string Gateway::chat_text(const std::string& model, const Json& messages) {
  const std::vector<Target> candidates = targets(resolve_model(model, std::nullopt, providers_));
  auto answer = std::make_shared<std::promise<std::string>>();
  calls_.post(
      FallbackCalls::attempts(
          candidates,
          [&](const Target& t) {
            return util::dump_json(Json{{"model", t.model.model}, {"messages", messages}});
          }),
      "/chat/completions",
      [answer](const FallbackCalls::Success& success) { answer->set_value(success.body); },
      [answer](const api::Error& error) { answer->set_exception(std::make_exception_ptr(error)); });
  const Json parsed = Json::parse(answer->get_future().get(), nullptr, false);
  const Json::json_pointer content("/choices/0/message/content");
  if (parsed.is_discarded() || !parsed.contains(content) || !parsed[content].is_string()) {
    throw api::Error::http(502, "The model's answer has no message content");
  }
  return parsed[content].get<std::string>();
}

http::Response Gateway::chat_completions(api::Call& call) {
  const api::Identity& caller = call.caller();
  const Json& request = call.body;
  const ModelRef model = model_of(request, options_.default_model);
  if (auto limited = check_rate_limit(caller)) return std::move(*limited);
  const std::vector<Target> candidates = targets(model);
  const std::string query = util::dump_json(normalize_messages(request.at("messages")));

  if (request.value("stream", false)) {
    std::optional<RunDeltaTarget> run;
    if (auto run_id = header(call, "run_id")) {
      run = RunDeltaTarget{*run_id, header(call, "thread_id").value_or(""),
                           header(call, "message_id").value_or(""), caller.account_id};
    }
    return calls_.stream(
        FallbackCalls::stream_attempts(
            candidates,
            [&](const Target& t) { return chat_upstream_body(request, t.model.model); }),
        "/chat/completions", [this, caller, query, run](const Target& t) {
          StreamRelay::Callbacks callbacks;
          if (run) {
            // A chunk without choices (the usage chunk) is skipped ([BUG] 12 of §11.2 fixed).
            callbacks.on_chunk = [this, run = *run](const Json& chunk) {
              const auto choices = chunk.find("choices");
              if (choices == chunk.end() || !choices->is_array() || choices->empty()) return;
              const Json& delta = (*choices)[0].value("delta", Json::object());
              const auto content = delta.find("content");
              if (content != delta.end() && content->is_string()) {
                deltas_.on_delta(run, content->get<std::string>());
              }
            };
            callbacks.on_end = [this, run = *run](std::function<void()> then) {
              deltas_.on_completed(run, std::move(then));
            };
          }
          record_stream_usage(callbacks, caller, t.model, "/chat/completions", query);
          return callbacks;
        });
  }

  // Made before call.body moves into the answer's callback.
  std::vector<FallbackCalls::Attempt> plan =
      FallbackCalls::attempts(candidates, [&](const Target& t) {
        return util::dump_json(chat_upstream_body(request, t.model.model).body);
      });
  return calls_.forward(
      std::move(plan), "/chat/completions",
      [this, caller, query, request = std::move(call.body)](const FallbackCalls::Success& success) {
        Json response = parse_upstream(success.body);
        record(caller, success.target.model, "/chat/completions", query, success.body,
               response.value("usage", Json()));
        sign_response(caller, success.target.model, request, response);
        return json_response(response);
      });
}

http::Response Gateway::completions(api::Call& call) {
  const api::Identity& caller = call.caller();
  const Json& request = call.body;
  const ModelRef model = model_of(request, options_.default_model);
  if (auto limited = check_rate_limit(caller)) return std::move(*limited);
  const std::vector<Target> candidates = targets(model);
  const std::string prompt = request.at("prompt").get<std::string>();

  if (request.value("stream", false)) {
    return calls_.stream(
        FallbackCalls::stream_attempts(
            candidates,
            [&](const Target& t) { return completion_upstream_body(request, t.model.model); }),
        "/completions", [this, caller, prompt](const Target& t) {
          StreamRelay::Callbacks callbacks;
          record_stream_usage(callbacks, caller, t.model, "/completions", prompt);
          return callbacks;
        });
  }
  return calls_.forward(
      FallbackCalls::attempts(candidates,
                              [&](const Target& t) {
                                return util::dump_json(
                                    completion_upstream_body(request, t.model.model).body);
                              }),
      "/completions", [this, caller, prompt](const FallbackCalls::Success& success) {
        const Json response = parse_upstream(success.body);
        record(caller, success.target.model, "/completions", prompt, success.body,
               response.value("usage", Json()));
        return json_response(response);
      });
}

http::Response Gateway::embeddings(api::Call& call) {
  const api::Identity& caller = call.caller();
  const Json& request = call.body;
  const ModelRef model = model_of(request, options_.default_embedding_model);
  if (auto limited = check_rate_limit(caller)) return std::move(*limited);
  return calls_.forward(FallbackCalls::attempts(targets(model),
                                                [&](const Target& t) {
                                                  return util::dump_json(embeddings_upstream_body(
                                                      request, t.model.model));
                                                }),
                        "/embeddings",
                        [this, caller, input = python_repr(request.at("input"))](
                            const FallbackCalls::Success& success) {
                          const Json response = parse_upstream(success.body);
                          record(caller, success.target.model, "/embeddings", input, success.body,
                                 response.value("usage", Json()));
                          return json_response(response);
                        });
}

http::Response Gateway::image_generations(api::Call& call) {
  const api::Identity& caller = call.caller();
  const Json& request = call.body;
  // [REC] of §4.2.1: a missing, null or empty model means the default image model.
  const ModelRef model = model_of(request, options_.default_image_model);
  if (auto limited = check_rate_limit(caller)) return std::move(*limited);
  const auto fail = [](const std::string& reason) {
    // The prefix appears twice, as in the original ([QUIRK] of §4.7).
    return api::Error::http(400, "Image generation failed: Image generation failed: " + reason);
  };
  if (!request.value("init_image", Json()).is_null()) {
    // The OpenAI images API has no image-to-image in /images/generations.
    throw fail("init_image (image-to-image) is not supported by OpenAI-compatible providers");
  }
  const std::string prompt = request.at("prompt").get<std::string>();
  return calls_.forward(
      FallbackCalls::attempts(targets(model),
                              [&](const Target& t) {
                                Json body = {{"model", t.model.model},
                                             {"prompt", prompt},
                                             {"n", 1},
                                             {"size", "1024x1024"},
                                             {"response_format", "b64_json"}};
                                // Extra generation parameters many OpenAI-compatible image servers
                                // accept.
                                for (const char* name : {"cfg_scale", "sampler", "steps", "seed"}) {
                                  if (request.contains(name) && !request[name].is_null())
                                    body[name] = request[name];
                                }
                                return util::dump_json(body);
                              }),
      "/images/generations",
      [this, caller, prompt, fail](const FallbackCalls::Success& success) {
        const Json response = parse_upstream(success.body);
        const Json data = response.value("data", Json::array());
        const bool usable = data.is_array() && !data.empty() &&
                            std::all_of(data.begin(), data.end(),
                                        [](const Json& image) { return image.is_object(); });
        if (!usable) {
          const Json reason = response.value("finish_reason", Json());
          throw fail("No return image, " +
                     (reason.is_string() ? reason.get<std::string>() : std::string("no data")));
        }
        nlohmann::ordered_json out = {{"data", nlohmann::ordered_json::array()}};
        for (const Json& image : data) {
          out["data"].push_back({{"b64_json", image.value("b64_json", Json())},
                                 {"url", image.value("url", Json())},
                                 {"revised_prompt", image.value("revised_prompt", Json())}});
        }
        // Images carry no usage; the response itself (base64 images) is not worth storing.
        record(caller, success.target.model, "/images/generations", prompt,
               Json({{"images", data.size()}}).dump(), Json());
        return api::json(out);
      },
      [fail](const api::Error& error) {
        if (error.status() == 400 && error.message() != "Model not supported") {
          return fail(error.message());
        }
        return error;
      });
}

}  // namespace nearhub::inference
