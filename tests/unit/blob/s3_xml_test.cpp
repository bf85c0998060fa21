#include "blob/s3_xml.h"

#include <gtest/gtest.h>

namespace nearhub::blob {
namespace {

TEST(S3Xml, DecodesEntities) {
  EXPECT_EQ(xml_unescape("a&amp;b&lt;c&gt;&quot;&apos;&#38;&#x26;&#xE9;&#128512;"),
            "a&b<c>\"'&&\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_THROW(xml_unescape("a&b"), BlobError);
  EXPECT_THROW(xml_unescape("&nbsp;"), BlobError);
  EXPECT_THROW(xml_unescape("&#xZZ;"), BlobError);
}

TEST(S3Xml, ParsesAListPage) {
  const auto page = parse_list_page(
      "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"x\"><Name>b</Name><Prefix/>"
      "<IsTruncated>true</IsTruncated><Contents><Key>a&amp;&lt;IsTruncated&gt;false</Key>"
      "<Size>12</Size></Contents><Contents><Key>b</Key><Size>0</Size></Contents>"
      "<NextContinuationToken>tok/+=</NextContinuationToken></ListBucketResult>");
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "a&<IsTruncated>false");
  EXPECT_EQ(page.objects[0].size, 12u);
  EXPECT_EQ(page.objects[1].key, "b");
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_continuation_token, "tok/+=");
}

TEST(S3Xml, RefusesWhatIsNotAListing) {
  EXPECT_THROW(parse_list_page("<Error><Code>x</Code></Error>"), BlobError);
  EXPECT_THROW(parse_list_page("<ListBucketResult><Contents><Key>a</Key></Contents>"
                               "</ListBucketResult>"),
               BlobError);
  EXPECT_THROW(parse_list_page("<ListBucketResult><IsTruncated>true</IsTruncated>"
                               "</ListBucketResult>"),
               BlobError);
  EXPECT_THROW(parse_list_page("<ListBucketResult><Contents><Key>a</Key><Size>-1</Size>"
                               "</Contents></ListBucketResult>"),
               BlobError);
}

}  // namespace
}  // namespace nearhub::blob
