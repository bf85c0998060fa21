#pragma once
// Metadata sanitization (spec/platform.md §6.1): what the original does with ftfy, NFC and
// strip(), to the extent its [REC] asks. Every string value is cleaned; object keys are not.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nearhub::registry {

// One string, in this order:
//  1. invalid UTF-8 becomes U+FFFD;
//  2. CRLF and lone CR become LF;
//  3. curly quotes become straight ones (U+2018–U+201B, U+02BC → ', U+201C–U+201F → ");
//  4. full-width ASCII (U+FF01–U+FF5E) and the ideographic space become plain ASCII;
//     the Latin ligatures U+FB00–U+FB06 are spelled out (ﬁ → fi);
//  5. control characters are removed except tab, newline and form feed (C0, DEL, C1, the BOM,
//     U+206A–U+206F and U+FFF9–U+FFFC);
//  6. Unicode NFC normalization;
//  7. Python's str.strip(): leading and trailing Unicode whitespace.
// Not done (full ftfy parity is not required): mojibake repair and HTML entity decoding.
std::string sanitize_text(std::string_view text);

// Every string value inside `value`, recursively through objects and arrays.
void sanitize_json(nlohmann::ordered_json& value);

// Sanitized, stripped, Unicode-lowercased tags without empty ones and without repeats (the
// first occurrence keeps its place).
std::vector<std::string> normalize_tags(const std::vector<std::string>& tags);

}  // namespace nearhub::registry
