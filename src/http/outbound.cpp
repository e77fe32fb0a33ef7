#include "http/outbound.h"

#include <curl/curl.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <memory>
#include <mutex>

namespace beian::http {
namespace {

constexpr std::size_t kMaxReply = 1 << 20;
constexpr long kTimeoutMs = 5000;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t len = size * n;
  if (out->size() + len > kMaxReply) return 0;  // aborts the transfer
  out->append(data, len);
  return len;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  return host.substr(0, 4) == "127." &&
         host.find_first_not_of("0123456789.") == std::string_view::npos;
}

Error Unavailable(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, Text{detail, detail});
}

Result<OutboundReply> Perform(const std::string& url, const std::string* form,
                              std::string_view user, std::string_view password) {
  if (Status st = CheckOutboundUrl(url); !st.ok()) {
    return Unavailable("outbound URL refused: " + url);
  }
  GlobalInit();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Unavailable("curl_easy_init failed");
  CURL* c = curl.get();
  OutboundReply reply;
  char err[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // never a proxy from http_proxy and friends
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, kTimeoutMs);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, kTimeoutMs);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE, static_cast<long>(kMaxReply));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "beian");
  std::unique_ptr<curl_slist, SlistDeleter> headers(
      curl_slist_append(nullptr, "Accept: application/json"));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  std::string user_enc, password_enc;
  if (form != nullptr) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form->size()));
    if (!user.empty()) {
      user_enc = FormEncode(user);
      password_enc = FormEncode(password);
      curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(c, CURLOPT_USERNAME, user_enc.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, password_enc.c_str());
    }
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return Unavailable(std::string("outbound request to ") + url +
                       " failed: " + (err[0] != '\0' ? err : curl_easy_strerror(rc)));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace

Status CheckOutboundUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  const Error bad = MakeError(
      ErrorCode::kInvalidRequest,
      Text{"出站地址须为 https（或本机回环地址上的 http），不得含用户信息",
           "an outbound URL must be https (or http on a loopback host) without user info"});
  if (!parsed) return bad;
  const std::string scheme = parsed->scheme();
  const std::string host = parsed->encoded_host_and_port().size() > 0 ? parsed->host() : "";
  if (host.empty() || parsed->has_userinfo()) return bad;
  if (scheme == "https") return OkStatus();
  if (scheme == "http" && IsLoopbackHost(parsed->encoded_host())) return OkStatus();
  return bad;
}

Result<OutboundReply> OutboundGet(const std::string& url) { return Perform(url, nullptr, {}, {}); }

Result<OutboundReply> OutboundPostForm(const std::string& url, const std::string& form,
                                       std::string_view user, std::string_view password) {
  return Perform(url, &form, user, password);
}

std::string FormEncode(std::string_view s) {
  GlobalInit();
  char* e = curl_easy_escape(nullptr, s.data(), static_cast<int>(s.size()));
  std::string out = e != nullptr ? e : "";
  curl_free(e);
  return out;
}

}  // namespace beian::http
