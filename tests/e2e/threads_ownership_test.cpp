// Who may read and change a thread (spec/assistants.md §2 check_thread): only its owner. A
// second signed account gets the spec's 403 on every endpoint, and nothing it tried changed.

#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "e2e/support/shared_server.h"
#include "e2e/support/threads_api.h"

namespace nearhub::e2e {
namespace {

using json = nlohmann::ordered_json;

const std::string kNoPermission =
    R"({"detail":"You don't have permission to access messages from this thread"})";

class ThreadsOwnership : public SharedServerTest<ThreadsOwnership> {
 protected:
  void SetUp() override {
    thread_ = alice().new_thread({{"metadata", {{"topic", "mine"}}}});
    message_ = alice().new_message(thread_, "private");
    thread_before_ = alice().get_thread(thread_).body;
    messages_before_ = alice().list_messages(thread_).body;
  }
  // Alice's data is exactly as it was before the test's refused calls.
  void expect_unchanged() {
    EXPECT_EQ(alice().get_thread(thread_).body, thread_before_);
    EXPECT_EQ(alice().list_messages(thread_).body, messages_before_);
    EXPECT_EQ(alice().list_threads().json().size(), threads_of_alice_);
  }
  ThreadsApi alice() const { return ThreadsApi(client(), alice_); }
  ThreadsApi bob() const { return ThreadsApi(client(), bob_); }

  static inline auth::NearCredentials alice_ = auth::generate_implicit_credentials();
  static inline auth::NearCredentials bob_ = auth::generate_implicit_credentials();
  std::string thread_;
  std::string message_;
  std::string thread_before_;
  std::string messages_before_;
  std::size_t threads_of_alice_ = 0;
};

TEST_F(ThreadsOwnership, ReadsAreRefused) {
  threads_of_alice_ = alice().list_threads().json().size();
  for (const Reply& reply : {bob().get_thread(thread_), bob().list_messages(thread_),
                             bob().list_messages(thread_, "?order=asc&include_subthreads=false"),
                             bob().get_message(thread_, message_)}) {
    EXPECT_EQ(reply.status, 403);
    EXPECT_EQ(reply.body, kNoPermission);
  }
  // Alice's threads are not in Bob's list.
  for (const auto& thread : bob().list_threads().json()) EXPECT_NE(thread["id"], thread_);
  expect_unchanged();
}

TEST_F(ThreadsOwnership, WritesAreRefusedAndChangeNothing) {
  threads_of_alice_ = alice().list_threads().json().size();
  const std::size_t threads_of_bob = bob().list_threads().json().size();
  for (const Reply& reply :
       {bob().modify_thread(thread_, {{"metadata", {{"topic", "stolen"}}}}),
        bob().add_message(thread_, {{"role", "user"}, {"content", "intrusion"}}),
        bob().patch_message(thread_, message_, {{"metadata", {{"k", "v"}}}}),
        bob().call("POST", "/v1/threads/" + thread_ + "/messages/" + message_,
                   R"({"metadata":{"k":"v"}})"),
        bob().fork(thread_), bob().delete_thread(thread_)}) {
    EXPECT_EQ(reply.status, 403) << reply.body;
    EXPECT_EQ(reply.body, kNoPermission);
  }
  const Reply sub = bob().subthread(thread_, {{"messages_to_copy", {message_}}});
  EXPECT_EQ(sub.status, 403);
  EXPECT_EQ(sub.body,
            R"({"detail":"You don't have permission to create a subthread for this thread"})");
  EXPECT_EQ(bob().list_threads().json().size(), threads_of_bob);  // no fork, no subthread
  expect_unchanged();
}

TEST_F(ThreadsOwnership, ValidationComesBeforeOwnershipAndStillChangesNothing) {
  threads_of_alice_ = alice().list_threads().json().size();
  const Reply bad = bob().add_message(thread_, {{"role", "user"}, {"content", 1}});
  EXPECT_EQ(bad.status, 422);
  expect_unchanged();
}

TEST_F(ThreadsOwnership, OwnMessagesCannotBeReachedThroughAnotherThread) {
  threads_of_alice_ = alice().list_threads().json().size();
  // Bob names his own thread in the path and Alice's message: not found, not changed.
  const std::string bobs = bob().new_thread();
  const Reply reply = bob().patch_message(bobs, message_, {{"metadata", {{"k", "v"}}}});
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body, R"({"detail":"Message not found"})");
  EXPECT_EQ(bob().get_message(bobs, message_).status, 404);
  // Alice's message id as a cursor in Bob's list is ignored.
  bob().new_message(bobs, "bob's");
  const json page = bob().list_messages(bobs, "?after=" + message_).json();
  EXPECT_EQ(page["data"].size(), 1u);
  expect_unchanged();
}

TEST_F(ThreadsOwnership, TheOwnerMayDoEverything) {
  EXPECT_EQ(alice().get_message(thread_, message_).status, 200);
  EXPECT_EQ(alice().patch_message(thread_, message_, {{"metadata", {{"k", "v"}}}}).status, 200);
  EXPECT_EQ(alice().fork(thread_).status, 200);
  EXPECT_EQ(alice().subthread(thread_, json::object()).status, 200);
  EXPECT_EQ(alice().delete_thread(thread_).status, 200);
}

}  // namespace
}  // namespace nearhub::e2e
