// Message inputs → stored fields (spec/assistants.md §2.8), thread metadata in and out (§1.7,
// §2.4), and the output-file de-duplication of message pages (§2.9 step 10).

#include <gtest/gtest.h>

#include "threads/content.h"
#include "threads/output_files.h"
#include "threads/thread_metadata.h"

namespace nearhub::threads {
namespace {

using nlohmann::ordered_json;

TEST(Content, StringBecomesOneTextBlock) {
  EXPECT_EQ(normalize_content("hello").dump(),
            R"([{"type":"text","text":{"value":"hello","annotations":[]}}])");
}

TEST(Content, EmptyStringBecomesASpaceAndEmptyArrayStaysEmpty) {
  EXPECT_EQ(normalize_content("").dump(),
            R"([{"type":"text","text":{"value":" ","annotations":[]}}])");
  EXPECT_EQ(normalize_content(ordered_json::array()).dump(), "[]");
}

TEST(Content, TextPartsBecomeBlocksAndImagePartsStayAsGiven) {
  const ordered_json parts = ordered_json::parse(
      R"([{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"http://x/i.png","detail":"low"}},)"
      R"({"type":"image_file","image_file":{"file_id":"file_1"}}])");
  EXPECT_EQ(normalize_content(parts).dump(),
            R"([{"type":"text","text":{"value":"a","annotations":[]}},)"
            R"({"type":"image_url","image_url":{"url":"http://x/i.png","detail":"low"}},)"
            R"({"type":"image_file","image_file":{"file_id":"file_1"}}])");
}

TEST(Content, AttachmentsGetBothKeys) {
  EXPECT_TRUE(normalize_attachments(nullptr).is_null());
  EXPECT_EQ(
      normalize_attachments(
          ordered_json::parse(
              R"([{"file_id":"file_a"},{"tools":[{"type":"file_search"}],"file_id":"file_b"}])"))
          .dump(),
      R"([{"file_id":"file_a","tools":null},{"file_id":"file_b","tools":[{"type":"file_search"}]}])");
}

TEST(Content, TextConcatenatesTextBlocksOnly) {
  const ordered_json blocks = normalize_content(ordered_json::parse(
      R"([{"type":"text","text":"Output "},{"type":"image_url","image_url":{"url":"u"}},{"type":"text","text":"file: x"}])"));
  EXPECT_EQ(content_text(blocks), "Output file: x");
}

TEST(ThreadMetadata, StorageSplitsAgentIdsAndDropsDerivedKeys) {
  const ordered_json given = ordered_json::parse(
      R"({"topic":"t","agent_ids":"ns/a/1, ns/b/2,,","owner_id":"x","parent_id":"p","child_thread_ids":"[]","z":"last"})");
  EXPECT_EQ(metadata_for_storage(given).dump(),
            R"({"topic":"t","agent_ids":["ns/a/1","ns/b/2"],"z":"last"})");
  const ordered_json list = ordered_json::parse(R"({"agent_ids":["a/b/1"]})");
  EXPECT_EQ(metadata_for_storage(list).dump(), R"({"agent_ids":["a/b/1"]})");
}

TEST(ThreadMetadata, OutputJoinsAgentIdsAndAddsOwnerAndParent) {
  const ordered_json stored = ordered_json::parse(R"({"z":"1","agent_ids":["a/b/1","c/d/2"]})");
  EXPECT_EQ(metadata_for_output(stored, "alice.near", std::nullopt).dump(),
            R"({"z":"1","agent_ids":"a/b/1,c/d/2","owner_id":"alice.near"})");
  EXPECT_EQ(metadata_for_output(std::nullopt, "bob.near", std::string("thread_p")).dump(),
            R"({"owner_id":"bob.near","parent_id":"thread_p"})");
}

TEST(ThreadMetadata, WhatAResponseShowsStoresTheSameAgain) {
  const ordered_json stored = ordered_json::parse(R"({"topic":"t","agent_ids":["a/b/1","c/d/2"]})");
  const ordered_json shown = metadata_for_output(stored, "alice.near", std::string("thread_p"));
  EXPECT_EQ(metadata_for_storage(shown), stored);
}

Message message(std::int64_t seq, const std::string& text, bool attached) {
  Message out;
  out.seq = seq;
  out.id = "msg_" + std::to_string(seq);
  out.content = normalize_content(text);
  if (attached) out.attachments = ordered_json::parse(R"([{"file_id":"file_x","tools":null}])");
  return out;
}

std::string ids(const std::vector<Message>& page) {
  std::string out;
  for (const Message& m : page) out += m.id + " ";
  return out;
}

TEST(OutputFiles, KeepsTheNewestOfEachNameInPageOrder) {
  std::vector<Message> page = {message(5, "Output file: log.txt", true), message(4, "hello", false),
                               message(3, "Output file: log.txt", true),
                               message(2, "Output file: other.txt", true),
                               message(1, "Output file: log.txt", false)};  // no attachment
  EXPECT_EQ(ids(collapse_output_files(page)), "msg_5 msg_4 msg_2 msg_1 ");
  std::reverse(page.begin(), page.end());
  EXPECT_EQ(ids(collapse_output_files(page)), "msg_1 msg_2 msg_4 msg_5 ");
}

}  // namespace
}  // namespace nearhub::threads
