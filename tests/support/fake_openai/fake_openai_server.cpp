#include "support/fake_openai/fake_openai_server.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>

#include <nlohmann/json.hpp>

#include "http/handler.h"
#include "http/server.h"
#include "http/sse.h"
#include "util/base64.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::testing {

namespace {

using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// A 2×2 baseline JPEG written by libjpeg: what /v1/images/generations returns.
constexpr const char* kTinyJpegBase64 =
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4"
    "UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj"
    "Y2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAIDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcI"
    "CQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRol"
    "JicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ip"
    "qrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAA"
    "AAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLR"
    "ChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaX"
    "mJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEA"
    "PwDkJv8AXP8A7x/nRRRX29D+FH0RjW/iS9Wf/9k=";

constexpr int kEmbeddingDimension = 8;
constexpr const char* kModelNotFound = "Model not found, inaccessible, and/or not deployed";

// An error in OpenAI's wire format.
http::Response openai_error(int status, const std::string& message, const std::string& type,
                            const nlohmann::json& code = nullptr) {
  ojson body = {
      {"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}};
  return http::Response::json_text(status, util::dump_json(body));
}

http::Response json_response(const ojson& body) {
  return http::Response::json_text(200, util::dump_json(body));
}

int word_count(const std::string& text) {
  int count = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++count;
    in_word = !space;
  }
  return count;
}

// The text split into pieces of "leading whitespace + one word", so that the pieces joined give
// the text back exactly: one streamed chunk per word.
std::vector<std::string> word_pieces(const std::string& text) {
  std::vector<std::string> pieces;
  std::string current;
  bool seen_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space && seen_word) {
      pieces.push_back(std::move(current));
      current.clear();
      seen_word = false;
    }
    current += c;
    if (!space) seen_word = true;
  }
  if (!current.empty()) {
    if (seen_word || pieces.empty()) {
      pieces.push_back(std::move(current));
    } else {
      pieces.back() += current;  // trailing whitespace stays with the last word
    }
  }
  return pieces;
}

// A message content as text: a string as is, a list of parts as their "text" fields joined.
std::string content_text(const nlohmann::json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_object() && part.contains("text") && part["text"].is_string()) {
        if (!text.empty()) text += ' ';
        text += part["text"].get<std::string>();
      }
    }
  }
  return text;
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// A deterministic unit vector for `text`.
std::vector<float> embedding_of(const std::string& text) {
  std::vector<float> vector(kEmbeddingDimension);
  double norm = 0;
  for (int d = 0; d < kEmbeddingDimension; ++d) {
    const std::uint64_t hash = fnv1a(text + '#' + std::to_string(d));
    vector[d] = static_cast<float>(static_cast<double>(hash % 2001) / 1000.0 - 1.0);
    norm += static_cast<double>(vector[d]) * vector[d];
  }
  if (norm > 0) {
    for (float& value : vector) value = static_cast<float>(value / std::sqrt(norm));
  }
  return vector;
}

// OpenAI's encoding_format "base64": the little-endian float32 bytes, base64.
std::string embedding_base64(const std::vector<float>& vector) {
  util::Bytes bytes(vector.size() * sizeof(float));
  static_assert(std::endian::native == std::endian::little);
  std::memcpy(bytes.data(), vector.data(), bytes.size());
  return util::base64_encode(bytes);
}

// One streamed response: its SSE events, sent one at a time.
struct Stream {
  std::shared_ptr<http::SseWriter> writer;
  std::vector<std::string> events;  // complete "data: ...\n\n" frames
  std::size_t next = 0;
  std::shared_ptr<std::atomic<bool>> finished = std::make_shared<std::atomic<bool>>(false);
};

// Sends the events of every delayed stream from one thread, each after its delay, so that a
// test sees chunks arrive one by one and no thread sleeps per stream.
class StreamPacer {
 public:
  StreamPacer() : thread_([this] { run(); }) {}
  ~StreamPacer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  void schedule(std::shared_ptr<Stream> stream, Clock::time_point due) {
    {
      std::lock_guard lock(mutex_);
      queue_.push({due, sequence_++, std::move(stream)});
    }
    changed_.notify_all();
  }

  void set_delay(std::chrono::milliseconds delay) { delay_ms_ = delay.count(); }
  std::chrono::milliseconds delay() const { return std::chrono::milliseconds(delay_ms_.load()); }

  // Writes the stream's next event; true when more remain.
  static bool send_next(Stream& stream) {
    const bool last = stream.next + 1 >= stream.events.size();
    if (last) stream.finished->store(true);
    if (!stream.writer->write(std::move(stream.events[stream.next++]))) return false;
    if (last) stream.writer->close();
    return !last;
  }

 private:
  struct Entry {
    Clock::time_point due;
    std::uint64_t sequence;  // keeps events of equal due time in order
    std::shared_ptr<Stream> stream;
    bool operator>(const Entry& other) const {
      return due != other.due ? due > other.due : sequence > other.sequence;
    }
  };

  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (queue_.empty()) {
        changed_.wait(lock);
        continue;
      }
      const Clock::time_point due = queue_.top().due;
      if (Clock::now() < due) {
        changed_.wait_until(lock, due);
        continue;
      }
      Entry entry = queue_.top();
      queue_.pop();
      lock.unlock();
      if (!entry.stream->writer->is_closed() && send_next(*entry.stream)) {
        schedule(entry.stream, Clock::now() + delay());
      }
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::uint64_t sequence_ = 0;
  bool stopping_ = false;
  std::atomic<std::int64_t> delay_ms_{0};
  std::thread thread_;
};

struct Failure {
  int status;
  std::string body;
  int remaining;  // < 0: until cleared
  int retry_after_s = 0;
};

}  // namespace

struct FakeOpenAiServer::Impl : http::Handler {
  explicit Impl(FakeOpenAiOptions opts) : options(std::move(opts)) {
    http::ServerOptions server_options;
    server_options.host = "127.0.0.1";
    server_options.port = options.port;
    server_options.access_log = false;
    server_options.io_threads = options.io_threads;
    server_options.worker_threads = options.worker_threads;
    server_options.shutdown_grace = std::chrono::milliseconds(500);
    server = std::make_unique<http::Server>(server_options, *this);
    server->start();
  }

  std::size_t body_limit(const http::Request&) const override { return 32 * 1024 * 1024; }
  http::Response handle(http::Request& request) override;

  http::Response models() const;
  http::Response chat_completions(const nlohmann::json& body);
  http::Response completions(const nlohmann::json& body);
  http::Response embeddings(const nlohmann::json& body) const;
  http::Response images(const nlohmann::json& body) const;
  // nullopt when `body` names a model this server has; else the 4xx to return.
  std::optional<http::Response> check_model(const nlohmann::json& body, bool required) const;
  http::Response stream(std::vector<std::string> events);
  std::string next_id(const char* prefix) { return prefix + std::to_string(++ids); }

  const FakeOpenAiOptions options;
  std::unique_ptr<http::Server> server;
  StreamPacer pacer;

  mutable std::mutex mutex;
  std::vector<Received> requests;
  std::map<std::string, Failure> failures;
  std::atomic<int> in_progress{0};
  std::atomic<int> cancelled{0};
  std::atomic<std::uint64_t> ids{0};
};

http::Response FakeOpenAiServer::Impl::handle(http::Request& request) {
  const std::string authorization(request.headers.get("authorization").value_or(""));
  {
    std::lock_guard lock(mutex);
    requests.push_back({request.method, request.path, authorization, request.body});
  }
  if (!options.api_key.empty() && authorization != "Bearer " + options.api_key) {
    return openai_error(401, "Incorrect API key provided", "invalid_request_error",
                        "invalid_api_key");
  }
  {
    std::lock_guard lock(mutex);
    auto failure = failures.find(request.path);
    if (failure != failures.end()) {
      http::Response response =
          http::Response::json_text(failure->second.status, failure->second.body);
      if (failure->second.retry_after_s > 0) {
        response.headers.set("Retry-After", std::to_string(failure->second.retry_after_s));
      }
      if (failure->second.remaining > 0 && --failure->second.remaining == 0) {
        failures.erase(failure);
      }
      return response;
    }
  }

  if (request.method == "GET" && request.path == "/v1/models") return models();
  const bool known_post = request.path == "/v1/chat/completions" ||
                          request.path == "/v1/completions" || request.path == "/v1/embeddings" ||
                          request.path == "/v1/images/generations";
  if (!known_post || request.method != "POST") {
    return openai_error(404, "Unknown request URL: " + request.method + " " + request.path,
                        "invalid_request_error", "unknown_url");
  }
  const nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return openai_error(400, "We could not parse the JSON body of your request.",
                        "invalid_request_error");
  }
  if (options.answer_delay.count() > 0 && !body.value("stream", false)) {
    std::this_thread::sleep_for(options.answer_delay);
  }
  if (request.path == "/v1/chat/completions") return chat_completions(body);
  if (request.path == "/v1/completions") return completions(body);
  if (request.path == "/v1/embeddings") return embeddings(body);
  return images(body);
}

std::optional<http::Response> FakeOpenAiServer::Impl::check_model(const nlohmann::json& body,
                                                                  bool required) const {
  if (!body.contains("model") || body["model"].is_null()) {
    if (!required) return std::nullopt;
    return openai_error(400, "you must provide a model parameter", "invalid_request_error");
  }
  const auto& model = body["model"];
  if (!model.is_string() || std::find(options.models.begin(), options.models.end(),
                                      model.get<std::string>()) == options.models.end()) {
    return openai_error(404, kModelNotFound, "invalid_request_error", "model_not_found");
  }
  return std::nullopt;
}

http::Response FakeOpenAiServer::Impl::models() const {
  ojson data = ojson::array();
  for (const std::string& id : options.models) {
    data.push_back(
        {{"id", id}, {"object", "model"}, {"created", 1700000000}, {"owned_by", "fake"}});
  }
  return json_response({{"object", "list"}, {"data", data}});
}

http::Response FakeOpenAiServer::Impl::chat_completions(const nlohmann::json& body) {
  if (auto error = check_model(body, true)) return *error;
  if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty()) {
    return openai_error(400, "'messages' must be a non-empty array", "invalid_request_error");
  }
  int prompt_tokens = 0;
  for (const auto& message : body["messages"]) {
    if (!message.is_object()) {
      return openai_error(400, "each message must be an object", "invalid_request_error");
    }
    prompt_tokens += word_count(content_text(message.value("content", nlohmann::json())));
  }
  const std::string reply =
      "echo: " + content_text(body["messages"].back().value("content", nlohmann::json()));
  const int completion_tokens = word_count(reply);
  const ojson usage = {{"prompt_tokens", prompt_tokens},
                       {"completion_tokens", completion_tokens},
                       {"total_tokens", prompt_tokens + completion_tokens}};
  const std::string id = next_id("chatcmpl-fake-");
  const std::int64_t created = util::now_unix_ms() / 1000;
  const std::string model = body["model"];

  if (!body.value("stream", false)) {
    return json_response({{"id", id},
                          {"object", "chat.completion"},
                          {"created", created},
                          {"model", model},
                          {"choices",
                           {{{"index", 0},
                             {"message", {{"role", "assistant"}, {"content", reply}}},
                             {"logprobs", nullptr},
                             {"finish_reason", "stop"}}}},
                          {"usage", usage},
                          {"system_fingerprint", "fp_fake"}});
  }

  auto chunk = [&](ojson choices) {
    return ojson{
        {"id", id},       {"object", "chat.completion.chunk"}, {"created", created},
        {"model", model}, {"system_fingerprint", "fp_fake"},   {"choices", std::move(choices)}};
  };
  std::vector<std::string> events;
  bool first = true;
  for (const std::string& piece : word_pieces(reply)) {
    ojson delta =
        first ? ojson{{"role", "assistant"}, {"content", piece}} : ojson{{"content", piece}};
    first = false;
    events.push_back(util::dump_json(chunk(
        {{{"index", 0}, {"delta", delta}, {"logprobs", nullptr}, {"finish_reason", nullptr}}})));
  }
  events.push_back(util::dump_json(chunk({{{"index", 0},
                                           {"delta", ojson::object()},
                                           {"logprobs", nullptr},
                                           {"finish_reason", "stop"}}})));
  const auto stream_options = body.value("stream_options", nlohmann::json::object());
  if (stream_options.is_object() && stream_options.value("include_usage", false)) {
    ojson usage_chunk = chunk(ojson::array());
    usage_chunk["usage"] = usage;
    events.push_back(util::dump_json(usage_chunk));
  }
  return stream(std::move(events));
}

http::Response FakeOpenAiServer::Impl::completions(const nlohmann::json& body) {
  if (auto error = check_model(body, true)) return *error;
  const nlohmann::json prompt = body.value("prompt", nlohmann::json());
  std::string prompt_text;
  if (prompt.is_string()) {
    prompt_text = prompt.get<std::string>();
  } else if (prompt.is_array() && !prompt.empty() && prompt[0].is_string()) {
    prompt_text = prompt[0].get<std::string>();
  } else {
    return openai_error(400, "'prompt' must be a string or a list of strings",
                        "invalid_request_error");
  }
  const std::string reply = "echo: " + prompt_text;
  const int prompt_tokens = word_count(prompt_text);
  const int completion_tokens = word_count(reply);
  const ojson usage = {{"prompt_tokens", prompt_tokens},
                       {"completion_tokens", completion_tokens},
                       {"total_tokens", prompt_tokens + completion_tokens}};
  const std::string id = next_id("cmpl-fake-");
  const std::int64_t created = util::now_unix_ms() / 1000;
  const std::string model = body["model"];
  auto completion = [&](const std::string& text, const nlohmann::json& finish_reason) {
    return ojson{
        {"id", id},
        {"object", "text_completion"},
        {"created", created},
        {"model", model},
        {"choices",
         {{{"index", 0}, {"text", text}, {"logprobs", nullptr}, {"finish_reason", finish_reason}}}},
        {"system_fingerprint", "fp_fake"}};
  };
  if (!body.value("stream", false)) {
    ojson answer = completion(reply, "stop");
    answer["usage"] = usage;
    return json_response(answer);
  }
  std::vector<std::string> events;
  for (const std::string& piece : word_pieces(reply)) {
    events.push_back(util::dump_json(completion(piece, nullptr)));
  }
  events.push_back(util::dump_json(completion("", "stop")));
  const auto stream_options = body.value("stream_options", nlohmann::json::object());
  if (stream_options.is_object() && stream_options.value("include_usage", false)) {
    ojson usage_chunk = completion("", nullptr);
    usage_chunk["choices"] = ojson::array();
    usage_chunk["usage"] = usage;
    events.push_back(util::dump_json(usage_chunk));
  }
  return stream(std::move(events));
}

http::Response FakeOpenAiServer::Impl::embeddings(const nlohmann::json& body) const {
  if (auto error = check_model(body, true)) return *error;
  const nlohmann::json input = body.value("input", nlohmann::json());
  // Every input as (text to hash, tokens it counts for).
  std::vector<std::pair<std::string, int>> inputs;
  auto add_tokens = [&](const nlohmann::json& tokens) {
    if (!tokens.is_array() || tokens.empty()) return false;
    std::string text;
    for (const auto& token : tokens) {
      if (!token.is_number_integer()) return false;
      text += std::to_string(token.get<std::int64_t>()) + ' ';
    }
    inputs.emplace_back(text, static_cast<int>(tokens.size()));
    return true;
  };
  bool valid = true;
  if (input.is_string()) {
    inputs.emplace_back(input.get<std::string>(), word_count(input.get<std::string>()));
  } else if (input.is_array() && !input.empty() && input[0].is_string()) {
    for (const auto& item : input) {
      if (!item.is_string()) {
        valid = false;
        break;
      }
      inputs.emplace_back(item.get<std::string>(), word_count(item.get<std::string>()));
    }
  } else if (input.is_array() && !input.empty() && input[0].is_array()) {
    for (const auto& item : input) valid = valid && add_tokens(item);
  } else {
    valid = add_tokens(input);
  }
  if (!valid) {
    return openai_error(400, "'input' must be a string, a list of strings or token lists",
                        "invalid_request_error");
  }
  const std::string format = body.value("encoding_format", std::string("float"));
  if (format != "float" && format != "base64") {
    return openai_error(400, "'encoding_format' must be 'float' or 'base64'",
                        "invalid_request_error");
  }
  ojson data = ojson::array();
  int tokens = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::vector<float> vector = embedding_of(inputs[i].first);
    tokens += inputs[i].second;
    ojson embedding = format == "base64" ? ojson(embedding_base64(vector)) : ojson(vector);
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", std::move(embedding)}});
  }
  return json_response({{"object", "list"},
                        {"data", data},
                        {"model", body["model"]},
                        {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}});
}

http::Response FakeOpenAiServer::Impl::images(const nlohmann::json& body) const {
  if (auto error = check_model(body, false)) return *error;
  if (!body.contains("prompt") || !body["prompt"].is_string()) {
    return openai_error(400, "'prompt' is required", "invalid_request_error");
  }
  return json_response(
      {{"created", util::now_unix_ms() / 1000}, {"data", {{{"b64_json", kTinyJpegBase64}}}}});
}

http::Response FakeOpenAiServer::Impl::stream(std::vector<std::string> events) {
  for (std::string& event : events) event = "data: " + event + "\n\n";
  events.push_back("data: [DONE]\n\n");
  auto state = std::make_shared<Stream>();
  state->events = std::move(events);
  return http::Response::event_stream([this, state](std::shared_ptr<http::SseWriter> writer) {
    state->writer = writer;
    ++in_progress;
    writer->on_close([this, finished = state->finished] {
      if (!finished->load()) ++cancelled;
      --in_progress;
    });
    const std::chrono::milliseconds delay = pacer.delay();
    if (delay.count() <= 0) {
      while (StreamPacer::send_next(*state)) {
      }
      return;
    }
    if (StreamPacer::send_next(*state)) pacer.schedule(state, Clock::now() + delay);
  });
}

FakeOpenAiServer::FakeOpenAiServer(FakeOpenAiOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

FakeOpenAiServer::~FakeOpenAiServer() { stop(); }

void FakeOpenAiServer::stop() {
  if (!impl_->server) return;
  impl_->server->stop();
  impl_->server->wait();
  impl_->server.reset();
}

unsigned short FakeOpenAiServer::port() const { return impl_->server ? impl_->server->port() : 0; }

std::string FakeOpenAiServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port()) + "/v1";
}

void FakeOpenAiServer::fail_next(const std::string& path, int status, std::string body, int count,
                                 int retry_after_s) {
  if (count == 0) return;
  std::lock_guard lock(impl_->mutex);
  impl_->failures[path] = {status, std::move(body), count, retry_after_s};
}

void FakeOpenAiServer::clear_failures() {
  std::lock_guard lock(impl_->mutex);
  impl_->failures.clear();
}

void FakeOpenAiServer::set_stream_chunk_delay(std::chrono::milliseconds delay) {
  impl_->pacer.set_delay(delay);
}

std::vector<FakeOpenAiServer::Received> FakeOpenAiServer::received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

int FakeOpenAiServer::streams_in_progress() const { return impl_->in_progress.load(); }

int FakeOpenAiServer::streams_cancelled() const { return impl_->cancelled.load(); }

}  // namespace nearhub::testing
