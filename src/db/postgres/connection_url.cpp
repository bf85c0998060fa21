#include "db/postgres/connection_url.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace nearhub::db::postgres {

namespace {

// A password in a URL: the text to cut so the URL reads well without it (`:secret` before
// the `@`, or `password=secret` with one `&` or `?` next to it), and the secret itself.
struct Password {
  std::size_t cut_begin;
  std::size_t cut_end;
  std::string_view secret;
};

// Where the passwords of `url` are: after the `:` of its user info, and as the value of a
// `password` query parameter. libpq ends the user info at the first `@` before any `/`.
std::vector<Password> find_passwords(std::string_view url) {
  std::vector<Password> passwords;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return passwords;
  const std::size_t authority = scheme_end + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?", authority), url.size());
  const std::size_t at = url.find('@', authority);
  if (at < authority_end) {
    const std::size_t colon = url.find(':', authority);
    if (colon < at) passwords.push_back({colon, at, url.substr(colon + 1, at - colon - 1)});
  }
  constexpr std::string_view kKey = "password=";
  for (std::size_t separator = url.find('?', authority); separator != std::string_view::npos;
       separator = url.find('&', separator + 1)) {
    const std::size_t parameter = separator + 1;
    if (!url.substr(parameter).starts_with(kKey)) continue;
    const std::size_t end = url.find('&', parameter);
    const std::size_t value = parameter + kKey.size();
    if (end == std::string_view::npos) {
      passwords.push_back({separator, url.size(), url.substr(value)});
    } else {
      passwords.push_back({parameter, end + 1, url.substr(value, end - value)});
    }
  }
  return passwords;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string redacted;
  std::size_t copied = 0;
  for (const Password& password : find_passwords(url)) {
    // Cuts of a repeated `password` parameter may share the `&` between them.
    if (password.cut_begin > copied) redacted.append(url, copied, password.cut_begin - copied);
    copied = std::max(copied, password.cut_end);
  }
  redacted.append(url, copied);
  return redacted;
}

std::string redact_password(std::string message, std::string_view url) {
  for (const Password& password : find_passwords(url)) {
    if (!password.secret.empty()) replace_all(message, password.secret, "***");
  }
  return message;
}

}  // namespace nearhub::db::postgres
