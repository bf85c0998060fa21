#include "blob/s3_xml.h"

#include <charconv>

namespace nearhub::blob {
namespace {

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

std::uint64_t parse_size(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw BlobError("S3 listing has a bad <Size>: '" + text + "'");
  }
  return value;
}

}  // namespace

std::string xml_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    const std::size_t end = text.find(';', i);
    if (end == std::string_view::npos) throw BlobError("S3 sent a malformed XML entity");
    const std::string_view entity = text.substr(i + 1, end - i - 1);
    if (entity == "amp") {
      out.push_back('&');
    } else if (entity == "lt") {
      out.push_back('<');
    } else if (entity == "gt") {
      out.push_back('>');
    } else if (entity == "quot") {
      out.push_back('"');
    } else if (entity == "apos") {
      out.push_back('\'');
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      std::uint32_t code = 0;
      const auto [stop, error] =
          std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
      if (error != std::errc() || stop != digits.data() + digits.size() || digits.empty() ||
          code > 0x10FFFF) {
        throw BlobError("S3 sent a malformed XML character reference");
      }
      append_utf8(out, code);
    } else {
      throw BlobError("S3 sent an unknown XML entity '&" + std::string(entity) + ";'");
    }
    i = end;
  }
  return out;
}

std::optional<std::string> xml_element_text(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string empty = "<" + std::string(name) + "/>";
  const std::string close = "</" + std::string(name) + ">";
  const std::size_t start = xml.find(open);
  const std::size_t empty_at = xml.find(empty);
  if (empty_at != std::string_view::npos && (start == std::string_view::npos || empty_at < start)) {
    return std::string();
  }
  if (start == std::string_view::npos) return std::nullopt;
  const std::size_t text_start = start + open.size();
  const std::size_t end = xml.find(close, text_start);
  if (end == std::string_view::npos) return std::nullopt;
  return xml_unescape(xml.substr(text_start, end - text_start));
}

S3ListPage parse_list_page(std::string_view xml) {
  if (xml.find("<ListBucketResult") == std::string_view::npos) {
    throw BlobError("S3 answered a listing with something else than a ListBucketResult");
  }
  S3ListPage page;
  // <Contents> blocks hold no nested <Contents>, so each ends at the next </Contents>.
  for (std::size_t at = xml.find("<Contents>"); at != std::string_view::npos;
       at = xml.find("<Contents>", at)) {
    const std::size_t end = xml.find("</Contents>", at);
    if (end == std::string_view::npos) throw BlobError("S3 sent a truncated listing");
    const std::string_view block = xml.substr(at, end - at);
    auto key = xml_element_text(block, "Key");
    auto size = xml_element_text(block, "Size");
    if (!key || !size) throw BlobError("S3 listing entry without <Key> or <Size>");
    page.objects.push_back({std::move(*key), parse_size(*size)});
    at = end;
  }
  // Only the top-level flags: they come after the last <Contents> in S3's documents, but look
  // outside the entries anyway so that a key can never be read as one.
  const std::size_t last = xml.rfind("</Contents>");
  std::string outside(xml.substr(0, xml.find("<Contents>")));
  if (last != std::string_view::npos) outside += xml.substr(last);
  page.truncated = xml_element_text(outside, "IsTruncated").value_or("false") == "true";
  page.next_continuation_token = xml_element_text(outside, "NextContinuationToken").value_or("");
  if (page.truncated && page.next_continuation_token.empty()) {
    throw BlobError("S3 listing is truncated but has no NextContinuationToken");
  }
  return page;
}

}  // namespace nearhub::blob
