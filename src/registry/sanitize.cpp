#include "registry/sanitize.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

namespace nearhub::registry {

namespace {

bool removed_control(UChar32 c) {
  if (c == '\t' || c == '\n' || c == '\f') return false;
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFEFF || (c >= 0x206A && c <= 0x206F) ||
         (c >= 0xFFF9 && c <= 0xFFFC);
}

// Python's str.isspace(), which strip() uses.
bool python_space(UChar32 c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

const char16_t* ligature(UChar32 c) {
  switch (c) {
    case 0xFB00:
      return u"ff";
    case 0xFB01:
      return u"fi";
    case 0xFB02:
      return u"fl";
    case 0xFB03:
      return u"ffi";
    case 0xFB04:
      return u"ffl";
    case 0xFB05:
      return u"\u017Ft";
    case 0xFB06:
      return u"st";
    default:
      return nullptr;
  }
}

// Steps 2–5 of sanitize_text, code point by code point.
icu::UnicodeString clean(const icu::UnicodeString& in) {
  icu::UnicodeString out;
  const int32_t length = in.length();
  for (int32_t i = 0; i < length;) {
    const UChar32 c = in.char32At(i);
    i = in.moveIndex32(i, 1);
    if (c == '\r') {
      if (i < length && in.charAt(i) == '\n') ++i;
      out.append(static_cast<UChar32>('\n'));
    } else if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B)) {
      out.append(static_cast<UChar32>('\''));
    } else if (c >= 0x201C && c <= 0x201F) {
      out.append(static_cast<UChar32>('"'));
    } else if (c >= 0xFF01 && c <= 0xFF5E) {
      out.append(static_cast<UChar32>(c - 0xFF01 + 0x21));
    } else if (c == 0x3000) {
      out.append(static_cast<UChar32>(' '));
    } else if (const char16_t* spelled = ligature(c)) {
      out.append(icu::UnicodeString(spelled));
    } else if (!removed_control(c)) {
      out.append(c);
    }
  }
  return out;
}

icu::UnicodeString strip(const icu::UnicodeString& in) {
  int32_t begin = 0;
  int32_t end = in.length();
  while (begin < end && python_space(in.char32At(begin))) begin = in.moveIndex32(begin, 1);
  while (end > begin) {
    const int32_t previous = in.moveIndex32(end, -1);
    if (!python_space(in.char32At(previous))) break;
    end = previous;
  }
  return icu::UnicodeString(in, begin, end - begin);
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || normalizer == nullptr) {
    throw std::runtime_error(std::string("ICU NFC normalizer unavailable: ") + u_errorName(status));
  }
  return *normalizer;
}

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

std::string sanitize_text(std::string_view text) {
  // fromUTF8 substitutes U+FFFD for ill-formed sequences (step 1).
  const icu::UnicodeString decoded = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString normalized = nfc().normalize(clean(decoded), status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("NFC normalization failed: ") + u_errorName(status));
  }
  return to_utf8(strip(normalized));
}

void sanitize_json(nlohmann::ordered_json& value) {
  if (value.is_string()) {
    value = sanitize_text(value.get_ref<const std::string&>());
  } else if (value.is_structured()) {
    for (auto& item : value) sanitize_json(item);
  }
}

std::vector<std::string> normalize_tags(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const std::string& tag : tags) {
    const std::string clean_tag = sanitize_text(tag);
    if (clean_tag.empty()) continue;
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(clean_tag);
    unicode.toLower(icu::Locale::getRoot());
    std::string lowered = to_utf8(unicode);
    if (seen.insert(lowered).second) out.push_back(std::move(lowered));
  }
  return out;
}

}  // namespace nearhub::registry
