#include "http/in_process.h"

namespace beian::http {
namespace bhttp = boost::beast::http;

ApiRequest ToApiRequest(const BeastRequest& req, std::string_view request_id) {
  ApiRequest ar;
  ar.method = req.method() == bhttp::verb::head ? std::string_view("GET")
                                                : std::string_view(req.method_string());
  ar.target = req.target();
  ar.authorization = req[bhttp::field::authorization];
  ar.accept = req[bhttp::field::accept];
  ar.accept_language = req[bhttp::field::accept_language];
  ar.idempotency_key = req["Idempotency-Key"];
  ar.idempotency_keys = static_cast<int>(req.count("Idempotency-Key"));
  ar.if_none_match = req[bhttp::field::if_none_match];
  ar.body = req.body();
  ar.request_id = request_id;
  ar.cookie = req[bhttp::field::cookie];
  ar.csrf_token = req["X-CSRF-Token"];
  ar.origin = req[bhttp::field::origin];
  return ar;
}

ApiResponse HandleParsed(Api& api, const BeastRequest& req, std::string_view request_id) {
  const ApiRequest ar = ToApiRequest(req, request_id);
  ApiResponse resp = api.Handle(ar, api.Match(ar));
  if (req.method() == bhttp::verb::head) resp.body.clear();
  return resp;
}

}  // namespace beian::http
