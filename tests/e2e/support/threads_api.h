#pragma once
// Calls to the threads and messages endpoints (spec/assistants.md §2.1–2.10) as a given account,
// for the threads_*_test.cpp suites. Every call signs a fresh token. Bodies are ordered JSON, so
// they reach the server with their keys in the order written.

#include <string>

#include <nlohmann/json.hpp>

#include "auth/credentials.h"
#include "e2e/support/client.h"
#include "e2e/support/tokens.h"

namespace nearhub::e2e {

class ThreadsApi {
 public:
  ThreadsApi(Client client, auth::NearCredentials who)
      : client_(std::move(client)), who_(std::move(who)) {}

  Reply call(const std::string& method, const std::string& path,
             const std::string& body = "") const {
    return client_.request(method, path, body, bearer(sign_token(who_)));
  }
  Reply create_thread(const nlohmann::ordered_json& body = nlohmann::ordered_json::object()) const {
    return call("POST", "/v1/threads", body.dump());
  }
  Reply list_threads(const std::string& query = "") const {
    return call("GET", "/v1/threads" + query);
  }
  Reply get_thread(const std::string& id) const { return call("GET", "/v1/threads/" + id); }
  Reply modify_thread(const std::string& id, const nlohmann::ordered_json& body) const {
    return call("POST", "/v1/threads/" + id, body.dump());
  }
  Reply delete_thread(const std::string& id) const { return call("DELETE", "/v1/threads/" + id); }
  Reply fork(const std::string& id) const { return call("POST", "/v1/threads/" + id + "/fork"); }
  Reply subthread(const std::string& id, const nlohmann::ordered_json& body) const {
    return call("POST", "/v1/threads/" + id + "/subthread", body.dump());
  }
  Reply add_message(const std::string& id, const nlohmann::ordered_json& body) const {
    return call("POST", "/v1/threads/" + id + "/messages", body.dump());
  }
  Reply list_messages(const std::string& id, const std::string& query = "") const {
    return call("GET", "/v1/threads/" + id + "/messages" + query);
  }
  Reply patch_message(const std::string& id, const std::string& message_id,
                      const nlohmann::ordered_json& body) const {
    return call("PATCH", "/v1/threads/" + id + "/messages/" + message_id, body.dump());
  }
  Reply get_message(const std::string& id, const std::string& message_id) const {
    return call("GET", "/v1/threads/" + id + "/messages/" + message_id);
  }

  Reply create_run(const std::string& id, const nlohmann::ordered_json& body) const {
    return call("POST", "/v1/threads/" + id + "/runs", body.dump());
  }
  Reply get_run(const std::string& id, const std::string& run_id) const {
    return call("GET", "/v1/threads/" + id + "/runs/" + run_id);
  }
  Reply update_run(const std::string& id, const std::string& run_id,
                   const nlohmann::ordered_json& body) const {
    return call("POST", "/v1/threads/" + id + "/runs/" + run_id, body.dump());
  }
  // A fresh token of this account, for calls this class does not wrap (streams).
  std::string token() const { return sign_token(who_); }

  // A new thread's id (the test fails when creation does).
  std::string new_thread(
      const nlohmann::ordered_json& body = nlohmann::ordered_json::object()) const {
    const Reply reply = create_thread(body);
    if (reply.status != 200) throw std::runtime_error("create_thread: " + reply.body);
    return reply.json().at("id").get<std::string>();
  }
  // A new message's id in `thread_id`.
  std::string new_message(const std::string& thread_id, const std::string& text) const {
    const Reply reply = add_message(thread_id, {{"role", "user"}, {"content", text}});
    if (reply.status != 200) throw std::runtime_error("add_message: " + reply.body);
    return reply.json().at("id").get<std::string>();
  }

 private:
  Client client_;
  auth::NearCredentials who_;
};

}  // namespace nearhub::e2e
