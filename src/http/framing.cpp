#include "http/framing.h"

#include <algorithm>
#include <string>
#include <vector>

namespace beian::http {
namespace bhttp = boost::beast::http;
namespace {

Error Refuse(ErrorCode code, std::string zh, std::string en) {
  return MakeError(code, Text{std::move(zh), std::move(en)});
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The transfer codings of every Transfer-Encoding field, in order, without parameters.
std::vector<std::string_view> Codings(const bhttp::request_header<>& head) {
  std::vector<std::string_view> out;
  auto range = head.equal_range(bhttp::field::transfer_encoding);
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view list = it->value();
    while (true) {
      const std::size_t comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      item = Trim(item.substr(0, item.find(';')));
      out.push_back(item);  // empty items are kept: they make the field malformed
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::optional<Error> CheckRequestHead(const bhttp::request_header<>& head) {
  const std::size_t hosts = head.count(bhttp::field::host);
  if (hosts > 1) {
    return Refuse(ErrorCode::kInvalidRequest, "请求含有多个 Host 头",
                  "the request has more than one Host header");
  }
  if (hosts == 0 && head.version() >= 11) {
    return Refuse(ErrorCode::kInvalidRequest, "HTTP/1.1 请求缺少 Host 头",
                  "an HTTP/1.1 request needs a Host header");
  }
  if (head.count(bhttp::field::transfer_encoding) == 0) return std::nullopt;
  if (head.version() < 11) {
    return Refuse(ErrorCode::kInvalidRequest, "HTTP/1.0 请求不能使用 Transfer-Encoding",
                  "an HTTP/1.0 request cannot use Transfer-Encoding");
  }
  const std::vector<std::string_view> codings = Codings(head);
  std::size_t chunked = 0;
  for (std::string_view c : codings) chunked += IEquals(c, "chunked") ? 1 : 0;
  if (codings.empty() || !IEquals(codings.back(), "chunked") || chunked != 1) {
    return Refuse(ErrorCode::kInvalidRequest,
                  "Transfer-Encoding 的最后一个编码必须是 chunked，且只能出现一次",
                  "the final Transfer-Encoding must be chunked, applied once");
  }
  for (std::string_view c : codings) {
    if (c.empty()) {
      return Refuse(ErrorCode::kInvalidRequest, "Transfer-Encoding 格式错误",
                    "malformed Transfer-Encoding");
    }
    if (!IEquals(c, "chunked")) {
      const std::string name(c);
      return Refuse(ErrorCode::kNotImplemented, "不支持的传输编码：" + name + "（仅支持 chunked）",
                    "unsupported transfer coding: " + name + " (only chunked is supported)");
    }
  }
  return std::nullopt;
}

void FoldDetector::Feed(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (done_) return;
    if (!line_start_ && !cr_) {
      // Inside a line every byte up to the next CR is ordinary (a bare LF too): skip to it.
      const std::size_t cr = std::min(bytes.find('\r', i), bytes.size());
      line_length_ += cr - i;
      i = cr;
      if (i == bytes.size()) return;
    }
    const char ch = bytes[i];
    if (ch == '\n' && cr_) {
      // The end of a line: an empty one ends the head (empty lines before the request line are
      // tolerated, RFC 9112 §2.2).
      if (line_length_ == 0 && lines_ > 0) done_ = true;
      if (line_length_ > 0) ++lines_;
      line_start_ = true;
      line_length_ = 0;
      cr_ = false;
      continue;
    }
    if (ch == '\r') {
      cr_ = true;
      continue;
    }
    if (line_start_ && lines_ > 0 && (ch == ' ' || ch == '\t')) folded_ = true;
    line_start_ = false;
    cr_ = false;
    ++line_length_;
  }
}

}  // namespace beian::http
