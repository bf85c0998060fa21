#pragma once
// Reads a multipart/form-data body the server spooled to a temporary file (Route::stream_upload):
// the file is parsed in bounded chunks, text fields are collected, and each file part is
// remembered as a byte range of the spool file, so an upload is never copied or held in memory.

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "api/route.h"
#include "http/request.h"

namespace nearhub::api {

struct SpooledForm {
  nlohmann::json fields = nlohmann::json::object();  // text parts: {"name": "value"}
  std::map<std::string, Upload> uploads;             // file parts by field name
};

// A request without a spooled body, or whose Content-Type is not multipart/form-data, has no
// fields and no uploads (the validator then reports what is missing, as for an empty form).
// A repeated name keeps its last part. Throws Error::http(400) for a malformed body and
// Error::http(413) when the text fields exceed the parser's limits.
SpooledForm read_spooled_form(const http::Request& request);

}  // namespace nearhub::api
