#pragma once
// Answering one parsed HTTP request without a socket: what a Session does between reading a
// request and writing its response (routing, authentication, the handler), for the server itself,
// tests and fuzzing.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

#include "http/api.h"
#include "http/api_types.h"

namespace beian::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

// The API's view of `req`: string views into `req` (valid while it lives) and `request_id`. HEAD
// is seen as GET (the caller drops the body).
ApiRequest ToApiRequest(const BeastRequest& req, std::string_view request_id);

// Routes, authenticates and handles `req` on the calling thread, as the server would (HEAD gets
// GET's answer without the body). Never throws (Api::Handle). Thread-safe like Api::Handle.
ApiResponse HandleParsed(Api& api, const BeastRequest& req, std::string_view request_id);

}  // namespace beian::http
