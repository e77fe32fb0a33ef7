#include "http/webhook_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "service/service.h"
#include "store/store.h"

namespace beian::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

// A one-connection-at-a-time HTTP server on 127.0.0.1 that answers every request with `reply`
// (or never answers when `hang`), recording what it received.
class TinyServer {
 public:
  struct Reply {
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body = "ok";
    bool hang = false;
  };

  explicit TinyServer(Reply reply) : reply_(std::move(reply)) {
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    thread_ = std::thread([this] { Serve(); });
  }
  ~TinyServer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    boost::system::error_code ec;
    tcp::socket poke(io_);
    poke.connect({asio::ip::make_address("127.0.0.1"), port()}, ec);  // unblocks accept
    thread_.join();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::string Url(std::string host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(port()) + "/hook?x=1";
  }
  std::vector<bhttp::request<bhttp::string_body>> Received() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  void Serve() {
    while (true) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      {
        std::lock_guard lock(mu_);
        if (stop_ || ec) return;
      }
      boost::beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> request;
      bhttp::read(socket, buffer, request, ec);
      if (ec) continue;
      {
        std::lock_guard lock(mu_);
        received_.push_back(request);
      }
      if (reply_.hang) {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stop_; });
        return;
      }
      bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(reply_.status), 11};
      for (const auto& [name, value] : reply_.headers) response.set(name, value);
      response.body() = reply_.body;
      response.prepare_payload();
      response.keep_alive(false);
      bhttp::write(socket, response, ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  Reply reply_;
  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<bhttp::request<bhttp::string_body>> received_;
  std::thread thread_;
};

std::vector<IpNetwork> Nets(std::string_view text) { return *ParseCidrList(text); }

CurlWebhookTransport Loopback() { return CurlWebhookTransport({Nets("127.0.0.0/8"), 15s}); }

WebhookRequest Request(std::string url) {
  WebhookRequest r;
  r.url = std::move(url);
  r.headers = {{"webhook-id", "msg_1"},
               {"webhook-timestamp", "1700000000"},
               {"webhook-signature", "v1,abc= v1,def="}};
  r.body = R"({"type":"number.issued","data":{"seq":7,"name":"备案"}})";
  r.timeout = 5s;
  return r;
}

TEST(WebhookClientTest, DeliversHeadersAndBodyAsSent) {
  TinyServer server({});
  const WebhookReply r = Loopback().Post(Request(server.Url()));
  ASSERT_EQ(r.failure, WebhookReply::Failure::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body_head, "ok");
  EXPECT_FALSE(r.retry_after.has_value());
  EXPECT_LT(r.latency, 5s);
  const auto got = server.Received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method(), bhttp::verb::post);
  EXPECT_EQ(got[0].target(), "/hook?x=1");
  EXPECT_EQ(got[0]["webhook-id"], "msg_1");
  EXPECT_EQ(got[0]["webhook-timestamp"], "1700000000");
  EXPECT_EQ(got[0]["webhook-signature"], "v1,abc= v1,def=");
  EXPECT_EQ(got[0][bhttp::field::content_type], "application/json");
  EXPECT_EQ(got[0][bhttp::field::user_agent], "beian-webhooks/1");
  EXPECT_EQ(got[0].body(), Request("").body);
}

TEST(WebhookClientTest, ErrorStatusesAreAnswers) {
  for (unsigned status : {500u, 410u, 302u}) {
    TinyServer server({status, {{"Location", "http://169.254.169.254/"}}, "nope", false});
    const WebhookReply r = Loopback().Post(Request(server.Url()));
    ASSERT_EQ(r.failure, WebhookReply::Failure::kNone) << r.error;
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.body_head, "nope");
    EXPECT_FALSE(r.retry_after.has_value());  // only 429 and 503 carry one
    EXPECT_EQ(server.Received().size(), 1u);  // a redirect is not followed
  }
}

TEST(WebhookClientTest, RetryAfterInSecondsOrAsADate) {
  {
    TinyServer server({429, {{"Retry-After", "120"}}, "slow down", false});
    const WebhookReply r = Loopback().Post(Request(server.Url()));
    ASSERT_EQ(r.failure, WebhookReply::Failure::kNone) << r.error;
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.retry_after, 120s);
  }
  const std::time_t later = std::time(nullptr) + 300;
  char date[64];
  std::tm tm{};
  gmtime_r(&later, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  TinyServer server({503, {{"Retry-After", date}}, "", false});
  const WebhookReply r = Loopback().Post(Request(server.Url()));
  ASSERT_EQ(r.failure, WebhookReply::Failure::kNone) << r.error;
  EXPECT_EQ(r.status, 503);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_GE(*r.retry_after, 290s);
  EXPECT_LE(*r.retry_after, 300s);
}

TEST(WebhookClientTest, KeepsTheFirst2KiBOfALargeAnswer) {
  TinyServer server({200, {}, std::string(200 * 1024, 'a'), false});
  const WebhookReply r = Loopback().Post(Request(server.Url()));
  ASSERT_EQ(r.failure, WebhookReply::Failure::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body_head, std::string(2048, 'a'));
}

TEST(WebhookClientTest, BodyHeadIsValidUtf8) {
  // 2047 ASCII bytes then a 3-byte character: the cut at 2 KiB would split it.
  TinyServer server({200, {}, std::string(2047, 'a') + "备案", false});
  const WebhookReply r = Loopback().Post(Request(server.Url()));
  ASSERT_EQ(r.failure, WebhookReply::Failure::kNone) << r.error;
  EXPECT_EQ(r.body_head, std::string(2047, 'a'));
}

TEST(WebhookClientTest, AHangingServerTimesOut) {
  TinyServer server({200, {}, "", true});
  WebhookRequest req = Request(server.Url());
  req.timeout = 300ms;
  const WebhookReply r = Loopback().Post(req);
  EXPECT_EQ(r.failure, WebhookReply::Failure::kTimeout) << r.error;
  EXPECT_GE(r.latency, 290ms);
  EXPECT_LT(r.latency, 5s);
}

TEST(WebhookClientTest, ConnectionRefused) {
  unsigned short port = 0;
  {
    asio::io_context io;
    tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  const WebhookReply r = Loopback().Post(Request("http://127.0.0.1:" + std::to_string(port) + "/"));
  EXPECT_EQ(r.failure, WebhookReply::Failure::kConnect) << r.error;
  EXPECT_FALSE(r.error.empty());
}

TEST(WebhookClientTest, RefusesSpecialAddressesWithoutTheAllowList) {
  TinyServer server({});
  CurlWebhookTransport strict({{}, 2s});
  const std::string port = std::to_string(server.port());
  for (const std::string& url : std::vector<std::string>{
           server.Url(), server.Url("localhost"), server.Url("[::1]"), server.Url("127.1"),
           server.Url("2130706433"), server.Url("[::ffff:127.0.0.1]"),
           "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
           "http://10.0.0.1/", "http://0.0.0.0:" + port + "/"}) {
    const WebhookReply r = strict.Post(Request(url));
    EXPECT_EQ(r.failure, WebhookReply::Failure::kRefused) << url << ": " << r.error;
    EXPECT_FALSE(r.error.empty());
  }
  // The allow list for IPv4 loopback does not open IPv6 loopback or the metadata address.
  for (const std::string& url :
       std::vector<std::string>{server.Url("[::1]"), "http://169.254.169.254/"}) {
    EXPECT_EQ(Loopback().Post(Request(url)).failure, WebhookReply::Failure::kRefused) << url;
  }
  EXPECT_TRUE(server.Received().empty());
}

TEST(WebhookClientTest, RefusesOtherSchemesAndUserInfo) {
  for (const char* url : {"ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1/",
                          "http://user:pw@127.0.0.1/", "not a url", "http://exa mple.com/"}) {
    EXPECT_EQ(Loopback().Post(Request(url)).failure, WebhookReply::Failure::kRefused) << url;
  }
}

TEST(WebhookClientTest, RefusesHeaderInjection) {
  TinyServer server({});
  WebhookRequest req = Request(server.Url());
  req.headers.push_back({"x-a", "1\r\nx-b: 2"});
  EXPECT_EQ(Loopback().Post(req).failure, WebhookReply::Failure::kRefused);
  EXPECT_TRUE(server.Received().empty());
}

TEST(WebhookClientTest, AnUnknownHostIsAConnectFailure) {
  const WebhookReply r = Loopback().Post(Request("http://no-such-host.invalid/"));
  EXPECT_EQ(r.failure, WebhookReply::Failure::kConnect) << r.error;
}

// A resolver that answers 127.0.0.1 once the test releases it, or after `delay`. Its state is
// shared with the resolver threads, which may outlive the test (the client does not wait for them).
class SlowResolver {
 public:
  void SetDelay(std::chrono::milliseconds delay) { state_->delay = delay; }
  HostResolver Get() {
    return [state = state_](const std::string&) {
      std::unique_lock lock(state->mu);
      state->cv.wait_for(lock, state->delay, [&] { return state->released; });
      return HostAddresses{{*ParseIpAddress("127.0.0.1")}, ""};
    };
  }
  void Release() {
    std::lock_guard lock(state_->mu);
    state_->released = true;
    state_->cv.notify_all();
  }

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool released = false;
    std::chrono::milliseconds delay{3s};  // longer than any timeout below
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

TEST(WebhookClientTest, AResolverThatDoesNotAnswerTimesOut) {
  TinyServer server({});
  SlowResolver dns;
  CurlWebhookTransport client({Nets("127.0.0.0/8"), 15s, dns.Get()});
  WebhookRequest req = Request(server.Url("hook.example"));
  req.timeout = 300ms;
  const WebhookReply r = client.Post(req);
  dns.Release();
  EXPECT_EQ(r.failure, WebhookReply::Failure::kTimeout) << r.error;
  EXPECT_GE(r.latency, 290ms);
  EXPECT_LT(r.latency, 2s);
  EXPECT_TRUE(server.Received().empty());
}

// Resolution and transfer share one timeout: a slow answer from DNS leaves less for the server.
TEST(WebhookClientTest, TheTimeoutCoversResolutionAndTransfer) {
  TinyServer server({200, {}, "", true});
  SlowResolver dns;
  dns.SetDelay(250ms);
  CurlWebhookTransport client({Nets("127.0.0.0/8"), 15s, dns.Get()});
  WebhookRequest req = Request(server.Url("hook.example"));
  req.timeout = 500ms;
  const WebhookReply r = client.Post(req);
  EXPECT_EQ(r.failure, WebhookReply::Failure::kTimeout) << r.error;
  EXPECT_GE(r.latency, 490ms);
  EXPECT_LT(r.latency, 700ms);
  EXPECT_EQ(server.Received().size(), 1u);
}

// The delivery loop with this client and a receiver that always answers 500: an endpoint whose
// failures started 5 days ago is disabled ("failing") with a webhook.disabled event, not before.
// The service's clock is moved by the test (WebhookOptions::now_ms); SQLite in a temporary file.
TEST(WebhookDeliveryTest, AnEndpointFailingForFiveDaysIsDisabled) {
  TinyServer::Reply fail;
  fail.status = 500;
  TinyServer server(fail);
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("beian-wh-" + std::to_string(::getpid()) + "-" + std::to_string(std::time(nullptr)));
  std::filesystem::create_directories(dir);
  auto store = Store::Open("sqlite:" + (dir / "beian.db").string());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Migrate().ok());
  Service svc(**store, DefaultPolicy());
  WebhookInput in;
  in.url = server.Url();
  auto created = svc.CreateWebhook(SystemPrincipal(), in);
  ASSERT_TRUE(created.ok());
  WebhookInput other;
  other.url = server.Url();
  ASSERT_TRUE(svc.CreateWebhook(SystemPrincipal(), other).ok());  // an event for the first

  const int64_t day = 86'400'000;
  int64_t now = 1'800'000'000'000;
  WebhookOptions options;
  options.owner = "test";
  options.timeout = 5s;
  options.schedule = RetrySchedule(20, std::chrono::hours(24));  // at once, then once a day
  options.schedule[0] = std::chrono::seconds(0);
  options.now_ms = [&now] { return now; };
  CurlWebhookTransport transport({Nets("127.0.0.0/8"), 5s});
  auto state = [&] { return svc.GetWebhook(SystemPrincipal(), created->view.webhook.id); };
  for (int d = 0; d < 5; ++d) {
    svc.DeliverWebhooks(transport, options);
    ASSERT_TRUE(state().ok());
    EXPECT_TRUE(state()->webhook.active) << "day " << d;
    now += day + 3 * 3'600'000;  // past the next attempt and its jitter (at most 2.4 h)
  }
  svc.DeliverWebhooks(transport, options);
  ASSERT_TRUE(state().ok());
  EXPECT_FALSE(state()->webhook.active);
  EXPECT_EQ(state()->webhook.disabled_reason, "failing");
  EXPECT_GE(server.Received().size(), 6u);
  std::filesystem::remove_all(dir);
}

TEST(WebhookAddressTest, SpecialPurposeAddressesAreForbidden) {
  for (const char* a : {"127.0.0.1",
                        "127.255.0.9",
                        "10.1.2.3",
                        "172.16.0.1",
                        "172.31.255.255",
                        "192.168.1.1",
                        "100.64.0.1",
                        "100.127.255.255",
                        "169.254.169.254",
                        "0.0.0.0",
                        "0.1.2.3",
                        "224.0.0.1",
                        "239.255.255.250",
                        "255.255.255.255",
                        "::",
                        "::1",
                        "fc00::1",
                        "fd00:ec2::254",
                        "fe80::1",
                        "ff02::1",
                        "::ffff:127.0.0.1",
                        "::ffff:169.254.169.254",
                        "::ffff:10.0.0.1",
                        "64:ff9b::a9fe:a9fe",
                        "2002:7f00:1::1",
                        "::127.0.0.1"}) {
    EXPECT_TRUE(IsForbiddenWebhookAddress(*ParseIpAddress(a), {})) << a;
  }
  for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
                        "169.253.0.1", "2606:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8"}) {
    EXPECT_FALSE(IsForbiddenWebhookAddress(*ParseIpAddress(a), {})) << a;
  }
}

TEST(WebhookAddressTest, TheAllowListOpensOnlyItsNetworks) {
  const std::vector<IpNetwork> allowed = Nets("127.0.0.0/8, ::1/128");
  EXPECT_FALSE(IsForbiddenWebhookAddress(*ParseIpAddress("127.0.0.1"), allowed));
  EXPECT_FALSE(IsForbiddenWebhookAddress(*ParseIpAddress("::ffff:127.0.0.2"), allowed));
  EXPECT_FALSE(IsForbiddenWebhookAddress(*ParseIpAddress("::1"), allowed));
  EXPECT_TRUE(IsForbiddenWebhookAddress(*ParseIpAddress("10.0.0.1"), allowed));
  EXPECT_TRUE(IsForbiddenWebhookAddress(*ParseIpAddress("169.254.169.254"), allowed));
  EXPECT_TRUE(IsForbiddenWebhookAddress(*ParseIpAddress("::2"), allowed));
}

TEST(CidrTest, ParsesListsAndSingleHosts) {
  Result<std::vector<IpNetwork>> nets = ParseCidrList("127.0.0.0/8,::1/128, 10.1.2.3 ,fd00::/8");
  ASSERT_TRUE(nets.ok()) << nets.error().detail.en;
  ASSERT_EQ(nets->size(), 4u);
  EXPECT_EQ((*nets)[0].prefix, 96 + 8);
  EXPECT_EQ((*nets)[1].prefix, 128);
  EXPECT_EQ((*nets)[2].prefix, 128);
  EXPECT_TRUE(NetworkContains((*nets)[2], *ParseIpAddress("10.1.2.3")));
  EXPECT_FALSE(NetworkContains((*nets)[2], *ParseIpAddress("10.1.2.4")));
  EXPECT_TRUE(NetworkContains((*nets)[3], *ParseIpAddress("fd12::1")));
  EXPECT_FALSE(NetworkContains((*nets)[3], *ParseIpAddress("fe00::1")));
  EXPECT_TRUE(ParseCidrList("")->empty());
  // Host bits are cleared: 127.0.0.1/8 is 127.0.0.0/8.
  EXPECT_TRUE(NetworkContains(*ParseCidr("127.0.0.1/8"), *ParseIpAddress("127.9.9.9")));
  EXPECT_TRUE(NetworkContains(*ParseCidr("0.0.0.0/0"), *ParseIpAddress("8.8.8.8")));
  EXPECT_FALSE(NetworkContains(*ParseCidr("0.0.0.0/0"), *ParseIpAddress("::1")));
}

TEST(CidrTest, RefusesBadEntries) {
  for (const char* bad :
       {"127.0.0.0/33", "::1/129", "127.0.0.0/", "127.0.0/8", "localhost", "127.0.0.0/8,", ",::1",
        "1.2.3.4/-1", "1.2.3.4/8x", "[::1]/128", "127.0.0.0/8;10.0.0.0/8"}) {
    Result<std::vector<IpNetwork>> r = ParseCidrList(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
    EXPECT_NE(r.error().detail.en.find("invalid network"), std::string::npos);
    EXPECT_FALSE(r.error().detail.zh.empty());
  }
}

}  // namespace
}  // namespace beian::http
