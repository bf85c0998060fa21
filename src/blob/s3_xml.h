#pragma once
// The few S3 XML documents nearhub reads: ListObjectsV2 pages and <Error> bodies. S3 writes them
// in a fixed shape without namespaces prefixes, CDATA or comments, so a scanner for simple
// elements is enough; text is entity-decoded (keys may hold '&', '<', quotes, ...).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.h"

namespace nearhub::blob {

// Decodes &amp; &lt; &gt; &quot; &apos; and numeric references (&#38; &#x26;) to UTF-8.
// Throws BlobError on a malformed reference.
std::string xml_unescape(std::string_view text);

// The decoded text of the first <name>...</name> in `xml` (an empty <name/> gives ""), or
// nothing when there is none.
std::optional<std::string> xml_element_text(std::string_view xml, std::string_view name);

struct S3ListPage {
  std::vector<BlobInfo> objects;  // full S3 keys, in the order S3 sent them
  bool truncated = false;
  std::string next_continuation_token;
};

// Parses a ListBucketResult. Throws BlobError when it is not one.
S3ListPage parse_list_page(std::string_view xml);

}  // namespace nearhub::blob
