// The audit trail: filtered reads, NDJSON export and retention (archive to files, then delete).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "codec/api_json.h"
#include "service/internal.h"

namespace beian {
namespace {

constexpr std::size_t kMaxTypes = 20;
constexpr int kExportPage = 500;
constexpr int kArchiveBatch = 10000;

bool IsTypeChar(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_';
}

// An event type ("filing.approved") or a prefix of types ("filing.*").
bool ValidType(const std::string& t) {
  if (t.empty() || t.size() > 64) return false;
  const std::string_view body =
      t.ends_with(".*") ? std::string_view(t).substr(0, t.size() - 1) : std::string_view(t);
  return !body.empty() && body.front() != '.' && std::all_of(body.begin(), body.end(), IsTypeChar);
}

bool Covers(const std::string& prefix, const std::string& t) {
  return prefix.ends_with(".*") && prefix != t &&
         std::string_view(t).starts_with(std::string_view(prefix).substr(0, prefix.size() - 1));
}

// Sorted, without duplicates and without types a prefix already covers (so that no event
// matches two of them).
std::vector<std::string> Normalize(std::vector<std::string> types) {
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  std::vector<std::string> out;
  for (const std::string& t : types) {
    const bool covered =
        std::any_of(types.begin(), types.end(), [&](const std::string& p) { return Covers(p, t); });
    if (!covered) out.push_back(t);
  }
  return out;
}

Status CheckQuery(EventQuery& q) {
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(q.limit));
  if (q.after < 0) {
    return svc::InvalidField("after", Text{"after 不能为负数", "after must not be negative"});
  }
  if (q.before < 0) {
    return svc::InvalidField("before", Text{"before 不能为负数", "before must not be negative"});
  }
  if (q.types.size() > kMaxTypes) {
    return svc::InvalidField("type", Text{"type 最多 20 个", "at most 20 types"});
  }
  for (const std::string& t : q.types) {
    if (!ValidType(t)) {
      return svc::InvalidField("type",
                               Text{"type 须为事件类型（如 filing.approved）或前缀（如 filing.*）",
                                    "type must be an event type (e.g. filing.approved) or a prefix "
                                    "(e.g. filing.*)"});
    }
  }
  q.types = Normalize(std::move(q.types));
  if (q.subject && (q.subject->empty() || q.subject->size() > 128)) {
    return svc::InvalidField(
        "object_id", Text{"object_id 须为 1–128 个字符", "object_id must be 1-128 characters"});
  }
  if (q.since && q.until && *q.until < *q.since) {
    return svc::InvalidField("until",
                             Text{"until 不能早于 since", "until must not be before since"});
  }
  return OkStatus();
}

Error FileError(const std::string& what, const std::string& path) {
  const std::string why = std::strerror(errno);
  return MakeError(ErrorCode::kInternal, Text{"归档文件 " + path + " " + what + "失败：" + why,
                                              "archive file " + path + ": " + what + ": " + why});
}

// Writes `text` to dir/name through a temporary file, fsynced, renamed, and the directory
// fsynced: the file is complete or absent.
Status WriteDurably(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string tmp = dir + "/.tmp-" + name;
  const std::string path = dir + "/" + name;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return FileError("create", tmp);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return FileError("write", tmp);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return FileError("fsync", tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return FileError("rename", path);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return OkStatus();
}

// Removes the files of earlier runs that began at the same event (written, but their events were
// not deleted: this batch holds them again), and their temporary files, other than `keep`.
void RemoveSuperseded(const std::string& dir, int64_t first, const std::string& keep) {
  const std::string prefix = "events-" + std::to_string(first) + "-";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const bool earlier = name.starts_with(prefix) || name.starts_with(".tmp-" + prefix);
    if (name != keep && earlier && name.ends_with(".ndjson")) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

// "20261202" (UTC) for archive file names.
std::string DateStamp(Time t) {
  std::string s = FormatRfc3339Utc(t).substr(0, 10);
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

std::string EventsNdjson(const std::vector<Event>& events,
                         std::string (*line)(const Event&) = EventToJson) {
  std::string out;
  for (const Event& e : events) out += line(e) + "\n";
  return out;
}

}  // namespace

Result<EventPage> Service::FindEvents(const Principal& actor, EventQuery q) {
  BEIAN_RETURN_IF_ERROR(CheckQuery(q));
  EventPage page;
  page.next_after = q.after;
  if (!actor.IsOperator()) {
    // A customer's filter on another account matches nothing (as account_id on /v1/filings).
    if (q.account && *q.account != actor.account_id) return page;
    q.account = actor.account_id;
  }
  return store_.Read([&](Tx& tx) -> Result<EventPage> {
    page.items = tx.FindEvents(q);
    if (!q.newest_first && !page.items.empty()) page.next_after = page.items.back().seq;
    if (q.newest_first && page.items.size() == static_cast<std::size_t>(q.limit)) {
      page.next_before = page.items.back().seq;
    }
    return page;
  });
}

Result<int64_t> Service::ExportEvents(const Principal& actor, EventQuery q, std::ostream& out) {
  q.limit = kExportPage;
  int64_t written = 0;
  for (;;) {
    BEIAN_ASSIGN_OR_RETURN(const EventPage page, FindEvents(actor, q));
    out << EventsNdjson(page.items);
    if (!out) {
      return MakeError(ErrorCode::kInternal, Text{"写出失败", "writing the export failed"});
    }
    written += static_cast<int64_t>(page.items.size());
    if (page.items.size() < static_cast<std::size_t>(kExportPage)) return written;
    if (q.newest_first) {
      q.before = page.next_before;
    } else {
      q.after = page.next_after;
    }
  }
}

Result<ArchiveReport> Service::ArchiveEventsBefore(Time cutoff, const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) {
    return MakeError(
        ErrorCode::kInvalidRequest,
        Text{"归档目录不存在：" + dir, "the archive directory does not exist: " + dir});
  }
  ArchiveReport report;
  for (;;) {
    // One batch per transaction: read, write its file, delete exactly its events, commit. A
    // crash before the commit leaves a file whose events are still here: the next run writes
    // them again and removes that file.
    bool more = false;
    int64_t archived = 0;
    std::string file;
    BEIAN_RETURN_IF_ERROR(store_.Write([&](Tx& tx) -> Status {
      more = false;
      archived = 0;
      file.clear();
      if (!tx.TryLockEventArchive()) {
        report.busy = true;
        return OkStatus();
      }
      EventQuery q;
      q.until = cutoff;
      q.limit = kArchiveBatch;
      const std::vector<Event> batch = tx.FindEvents(q);
      if (batch.empty()) return OkStatus();
      const int64_t first = batch.front().seq;
      const int64_t last = batch.back().seq;
      file = "events-" + std::to_string(first) + "-" + std::to_string(last) + "-" +
             DateStamp(Now()) + ".ndjson";
      BEIAN_RETURN_IF_ERROR(WriteDurably(dir, file, EventsNdjson(batch, EventToArchiveJson)));
      RemoveSuperseded(dir, first, file);
      archived = tx.DeleteArchivedEvents(first, last, cutoff);
      if (archived != static_cast<int64_t>(batch.size())) {
        return MakeError(ErrorCode::kInternal,
                         Text{"归档的事件数与删除数不符，已回滚",
                              "archived and deleted event counts differ; rolled back"});
      }
      more = batch.size() == static_cast<std::size_t>(kArchiveBatch);
      return OkStatus();
    }));
    if (archived > 0) {
      report.events += archived;
      report.files.push_back(file);
    }
    if (!more || report.busy) return report;
  }
}

Result<ArchiveReport> Service::ArchiveExpiredEvents(Time now, const std::string& dir) {
  if (policy_.audit_retention_days <= 0) return ArchiveReport{};
  return ArchiveEventsBefore(now - std::chrono::days{policy_.audit_retention_days}, dir);
}

}  // namespace beian
