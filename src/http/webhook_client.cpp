#include "http/webhook_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <variant>

#include "domain/text.h"

namespace beian::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kBodyHead = 2048;      // kept for the deliveries list
constexpr std::size_t kMaxRead = 64 * 1024;  // then the transfer is cut
constexpr char kUserAgent[] = "User-Agent: beian-webhooks/1";
constexpr char kContentType[] = "Content-Type: application/json";

// Special-purpose networks (RFC 6890 and cloud metadata): never reached unless allowed.
constexpr const char* kForbidden[] = {
    "0.0.0.0/8",      "10.0.0.0/8",   "100.64.0.0/10",  "127.0.0.0/8",   "169.254.0.0/16",
    "172.16.0.0/12",  "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
    "240.0.0.0/4",  // reserved and 255.255.255.255
    "::/96",        // unspecified, loopback and the deprecated IPv4-compatible addresses
    "64:ff9b:1::/48", "2001::/32",    "fc00::/7",       "fe80::/10",     "fec0::/10",
    "ff00::/8",
};

const std::vector<IpNetwork>& ForbiddenNetworks() {
  static const std::vector<IpNetwork> kNets = [] {
    std::vector<IpNetwork> nets;
    for (const char* text : kForbidden) nets.push_back(*ParseCidr(text));
    return nets;
  }();
  return kNets;
}

bool InAny(const std::vector<IpNetwork>& nets, const IpBytes& address) {
  return std::any_of(nets.begin(), nets.end(),
                     [&](const IpNetwork& n) { return NetworkContains(n, address); });
}

IpBytes MappedV4(const uint8_t* v4) {
  IpBytes b{};
  b[10] = b[11] = 0xff;
  std::memcpy(b.data() + 12, v4, 4);
  return b;
}

// The IPv4 address carried inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address.
std::optional<IpBytes> EmbeddedV4(const IpBytes& a) {
  static const IpBytes kNat64 = *ParseIpAddress("64:ff9b::");
  if (std::equal(a.begin(), a.begin() + 12, kNat64.begin())) return MappedV4(a.data() + 12);
  if (a[0] == 0x20 && a[1] == 0x02) return MappedV4(a.data() + 2);
  return std::nullopt;
}

Error BadCidr(std::string_view entry) {
  const std::string e(entry);
  return MakeError(ErrorCode::kInvalidRequest,
                   Text{"网段 \"" + e + "\" 无效（应如 127.0.0.0/8 或 ::1/128）",
                        "invalid network \"" + e + "\" (expected e.g. 127.0.0.0/8 or ::1/128)"});
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<IpBytes> FromSockaddr(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    return MappedV4(reinterpret_cast<const uint8_t*>(&in->sin_addr));
  }
  if (sa->sa_family == AF_INET6) {
    IpBytes b{};
    std::memcpy(b.data(), &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, 16);
    return b;
  }
  return std::nullopt;
}

bool IsV4(const IpBytes& a) {
  static constexpr uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(a.begin(), a.begin() + 12, kPrefix);
}

// The address as curl's CURLOPT_RESOLVE wants it: a.b.c.d or [v6].
std::string ResolveText(const IpBytes& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (IsV4(a)) {
    inet_ntop(AF_INET, a.data() + 12, buf, sizeof buf);
    return buf;
  }
  inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
  std::string out = "[";
  out += buf;
  out += ']';
  return out;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// One part of a parsed URL, or "" when it is absent.
std::string UrlPart(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) return "";
  std::string s = out;
  curl_free(out);
  return s;
}

WebhookReply Failed(WebhookReply::Failure failure, std::string error, Clock::time_point start) {
  WebhookReply r;
  r.failure = failure;
  r.error = std::move(error);
  r.latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return r;
}

// The host's target: where a webhook may go, or why not.
struct Target {
  std::string host;  // as curl sees it (IPv6 in brackets)
  long port = 0;
  std::vector<IpBytes> addresses;  // every one checked
};

struct Refusal {
  WebhookReply::Failure failure;
  std::string error;
};

// Runs `resolver` on a thread of its own and waits for it until `deadline`; nullopt when it has
// not answered by then (the thread finishes on its own and its answer is dropped).
std::optional<HostAddresses> ResolveBefore(const HostResolver& resolver, const std::string& host,
                                           Clock::time_point deadline) {
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<HostAddresses> answer;
  };
  auto shared = std::make_shared<Shared>();
  try {
    std::thread([shared, resolver, host] {
      HostAddresses answer = resolver(host);
      std::lock_guard lock(shared->mu);
      shared->answer = std::move(answer);
      shared->cv.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    return HostAddresses{{}, std::string("no thread for the resolver: ") + e.what()};
  }
  std::unique_lock lock(shared->mu);
  shared->cv.wait_until(lock, deadline, [&] { return shared->answer.has_value(); });
  return std::move(shared->answer);
}

std::variant<Target, Refusal> CheckTarget(CURLU* u, const std::vector<IpNetwork>& allowed,
                                          const HostResolver& resolver,
                                          Clock::time_point deadline) {
  const std::string scheme = UrlPart(u, CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") {
    return Refusal{WebhookReply::Failure::kRefused, "refused: only http and https URLs"};
  }
  if (!UrlPart(u, CURLUPART_USER).empty() || !UrlPart(u, CURLUPART_PASSWORD).empty()) {
    return Refusal{WebhookReply::Failure::kRefused, "refused: user info in the URL"};
  }
  if (!UrlPart(u, CURLUPART_ZONEID).empty()) {
    return Refusal{WebhookReply::Failure::kRefused, "refused: an IPv6 zone in the URL"};
  }
  Target t;
  t.host = UrlPart(u, CURLUPART_HOST, CURLU_PUNYCODE);
  const std::string port = UrlPart(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  std::from_chars(port.data(), port.data() + port.size(), t.port);
  if (t.host.empty() || t.port <= 0) {
    return Refusal{WebhookReply::Failure::kRefused, "refused: no host in the URL"};
  }
  std::string lookup = t.host;
  if (lookup.front() == '[' && lookup.back() == ']') lookup = lookup.substr(1, lookup.size() - 2);
  std::optional<HostAddresses> found = ResolveBefore(resolver, lookup, deadline);
  if (!found) {
    return Refusal{WebhookReply::Failure::kTimeout, "could not resolve the host in time"};
  }
  if (!found->error.empty()) {
    return Refusal{WebhookReply::Failure::kConnect, "could not resolve the host: " + found->error};
  }
  for (const IpBytes& a : found->addresses) {
    if (IsForbiddenWebhookAddress(a, allowed)) {
      return Refusal{WebhookReply::Failure::kRefused,
                     "refused: the host has a private or special-purpose address"};
    }
    if (std::find(t.addresses.begin(), t.addresses.end(), a) == t.addresses.end()) {
      t.addresses.push_back(a);
    }
  }
  if (t.addresses.empty()) {
    return Refusal{WebhookReply::Failure::kConnect, "could not resolve the host"};
  }
  return t;
}

// State shared with curl's callbacks during one Post.
struct Transfer {
  const std::vector<IpBytes>* addresses = nullptr;
  bool socket_refused = false;
  std::string head;
  std::size_t read = 0;
  bool cut = false;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (t->head.size() < kBodyHead) t->head.append(data, std::min(len, kBodyHead - t->head.size()));
  t->read += len;
  if (t->read > kMaxRead) {
    t->cut = true;
    return 0;  // aborts the transfer; the status stands
  }
  return len;
}

// The last line of defence: curl may only connect to an address that CheckTarget accepted.
curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* addr) {
  auto* t = static_cast<Transfer*>(user);
  std::optional<IpBytes> a = FromSockaddr(&addr->addr);
  if (!a || std::find(t->addresses->begin(), t->addresses->end(), *a) == t->addresses->end()) {
    t->socket_refused = true;
    return CURL_SOCKET_BAD;
  }
  return socket(addr->family, addr->socktype, addr->protocol);
}

// Cuts a trailing partial UTF-8 sequence; replaces bytes of any other invalid text with '?'.
std::string Utf8Head(std::string s) {
  for (int back = 1; back <= 3 && back <= static_cast<int>(s.size()); ++back) {
    const auto c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xC0) != 0x80) {  // a lead byte (or ASCII): is its sequence complete?
      const int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (need > back) s.erase(s.size() - static_cast<std::size_t>(back));
      break;
    }
  }
  if (!IsUtf8(s)) {
    for (char& c : s) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
  }
  return s;
}

bool HasHeader(const WebhookRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(), [&](const auto& h) {
    return h.first.size() == name.size() &&
           std::equal(h.first.begin(), h.first.end(), name.begin(),
                      [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  });
}

bool SafeHeader(const std::pair<std::string, std::string>& h) {
  const auto bad = [](std::string_view s) { return s.find_first_of("\r\n") != s.npos; };
  return !h.first.empty() && h.first.find(':') == std::string::npos && !bad(h.first) &&
         !bad(h.second);
}

}  // namespace

std::optional<IpBytes> ParseIpAddress(std::string_view text) {
  const std::string s(text);
  uint8_t v4[4];
  if (inet_pton(AF_INET, s.c_str(), v4) == 1) return MappedV4(v4);
  IpBytes b{};
  if (inet_pton(AF_INET6, s.c_str(), b.data()) == 1) return b;
  return std::nullopt;
}

Result<IpNetwork> ParseCidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  std::optional<IpBytes> address = ParseIpAddress(text.substr(0, slash));
  if (!address) return BadCidr(text);
  const int offset = IsV4(*address) && text.substr(0, slash).find(':') == text.npos ? 96 : 0;
  int prefix = 128 - offset;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > 128 - offset) {
      return BadCidr(text);
    }
  }
  IpNetwork net{*address, prefix + offset};
  for (int bit = net.prefix; bit < 128; ++bit) {
    net.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return net;
}

Result<std::vector<IpNetwork>> ParseCidrList(std::string_view text) {
  std::vector<IpNetwork> out;
  if (Trim(text).empty()) return out;
  while (true) {
    const std::size_t comma = text.find(',');
    BEIAN_ASSIGN_OR_RETURN(IpNetwork net, ParseCidr(Trim(text.substr(0, comma))));
    out.push_back(net);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

bool NetworkContains(const IpNetwork& network, const IpBytes& address) {
  for (int bit = 0; bit < network.prefix; bit += 8) {
    const int bits = std::min(8, network.prefix - bit);
    const auto mask = static_cast<uint8_t>(0xFFu << (8 - bits));
    if ((address[bit / 8] & mask) != (network.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

bool IsForbiddenWebhookAddress(const IpBytes& address, const std::vector<IpNetwork>& allowed) {
  const auto forbidden = [&](const IpBytes& a) {
    return InAny(ForbiddenNetworks(), a) && !InAny(allowed, a);
  };
  if (forbidden(address)) return true;
  std::optional<IpBytes> v4 = EmbeddedV4(address);
  return v4 && forbidden(*v4);
}

HostAddresses ResolveWithSystem(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) return HostAddresses{{}, gai_strerror(rc)};
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
  HostAddresses out;
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    if (std::optional<IpBytes> a = FromSockaddr(ai->ai_addr)) out.addresses.push_back(*a);
  }
  if (out.addresses.empty()) out.error = "no IPv4 or IPv6 address";
  return out;
}

CurlWebhookTransport::CurlWebhookTransport(WebhookClientOptions options)
    : options_(std::move(options)) {
  GlobalInit();
}

WebhookReply CurlWebhookTransport::Post(const WebhookRequest& request) {
  const Clock::time_point start = Clock::now();
  using F = WebhookReply::Failure;
  for (const auto& h : request.headers) {
    if (!SafeHeader(h)) return Failed(F::kRefused, "refused: a malformed header", start);
  }
  std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, request.url.c_str(), 0) != CURLUE_OK) {
    return Failed(F::kRefused, "refused: not a valid URL", start);
  }
  const std::chrono::milliseconds timeout =
      request.timeout.count() > 0 ? request.timeout : options_.timeout;
  const Clock::time_point deadline = start + timeout;
  std::variant<Target, Refusal> checked =
      CheckTarget(url.get(), options_.allowed_private, options_.resolver, deadline);
  if (auto* r = std::get_if<Refusal>(&checked)) return Failed(r->failure, r->error, start);
  const Target& target = std::get<Target>(checked);

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Failed(F::kConnect, "curl_easy_init failed", start);
  CURL* c = curl.get();
  Transfer transfer;
  transfer.addresses = &target.addresses;

  // Pin the name to the checked addresses, so that curl does not ask DNS again.
  std::string pin = target.host + ":" + std::to_string(target.port) + ":";
  for (std::size_t i = 0; i < target.addresses.size(); ++i) {
    if (i > 0) pin += ',';
    pin += ResolveText(target.addresses[i]);
  }
  std::unique_ptr<curl_slist, SlistDeleter> resolve(curl_slist_append(nullptr, pin.c_str()));
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  const auto add = [&](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  for (const auto& [name, value] : request.headers) add(name + ": " + value);
  if (!HasHeader(request, "content-type")) add(kContentType);
  if (!HasHeader(request, "user-agent")) add(kUserAgent);
  add("Expect:");  // no 100-continue round trip

  // What is left of the timeout after resolution (at least 1 ms: 0 would mean none).
  const long left = static_cast<long>(std::max<std::chrono::milliseconds::rep>(
      1, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
  curl_easy_setopt(c, CURLOPT_CURLU, url.get());
  if (target.host.front() != '[') curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // never a proxy from http_proxy and friends
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);

  const CURLcode rc = curl_easy_perform(c);
  WebhookReply reply;
  if (transfer.socket_refused) {
    return Failed(F::kRefused, "refused: the connection went to an unchecked address", start);
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return Failed(F::kTimeout, "no answer within " + std::to_string(timeout.count()) + " ms",
                  start);
  }
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && transfer.cut)) {
    return Failed(F::kConnect, curl_easy_strerror(rc), start);
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  reply.body_head = Utf8Head(std::move(transfer.head));
  if (reply.status == 429 || reply.status == 503) {
    curl_off_t retry_after = 0;  // curl parses delta-seconds and HTTP dates alike
    if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0) {
      reply.retry_after = std::chrono::seconds{retry_after};
    }
  }
  reply.latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return reply;
}

}  // namespace beian::http
