// `beian events export` and `beian events archive`: wiring only; the work is in the service
// (Service::ExportEvents, Service::ArchiveEventsBefore).
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "domain/time.h"

namespace beian::cli {
namespace {

struct ExportArgs {
  std::string since, until, account_id, object_id, out;
  std::vector<std::string> types;
};

struct ArchiveArgs {
  std::string before, dir;
};

// An RFC 3339 option value, or nullopt after printing why (`*bad` set).
std::optional<Time> TimeOption(const std::string& value, const char* name, bool* bad) {
  if (value.empty()) return std::nullopt;
  std::optional<Time> t = ParseRfc3339(value);
  if (!t) {
    std::cerr << "beian: " << name << " must be an RFC 3339 time, e.g. 2026-01-31T00:00:00+08:00\n";
    *bad = true;
  }
  return t;
}

int RunExport(const Context& ctx, const ExportArgs& args) {
  EventQuery q;
  bool bad = false;
  q.since = TimeOption(args.since, "--since", &bad);
  q.until = TimeOption(args.until, "--until", &bad);
  if (bad) return 2;
  for (const std::string& t : args.types) q.types.push_back(t);
  if (!args.account_id.empty()) q.account = args.account_id;
  if (!args.object_id.empty()) q.subject = args.object_id;
  return WithService(ctx.db_url, [&](Service& service) {
    std::ofstream file;
    if (!args.out.empty()) {
      file.open(args.out, std::ios::out | std::ios::trunc);
      if (!file) {
        PrintErrorLine("cannot write " + args.out);
        return 1;
      }
    }
    std::ostream& out = args.out.empty() ? std::cout : file;
    auto n = service.ExportEvents(SystemPrincipal(), q, out);
    out.flush();
    if (!n.ok()) {
      PrintError(n.error());
      return 1;
    }
    if (!args.out.empty()) std::cerr << "exported " << *n << " events to " << args.out << "\n";
    return 0;
  });
}

int RunArchive(const Context& ctx, const ArchiveArgs& args) {
  bool bad = false;
  const std::optional<Time> before = TimeOption(args.before, "--before", &bad);
  if (bad || !before) return 2;
  return WithService(ctx.db_url, [&](Service& service) {
    auto r = service.ArchiveEventsBefore(*before, args.dir);
    if (!r.ok()) {
      PrintError(r.error());
      return 1;
    }
    if (r->busy) {
      std::cerr << "beian: another process is archiving events; nothing done\n";
      return 1;
    }
    std::cout << "archived and deleted " << r->events << " events in " << r->files.size()
              << " files\n";
    for (const std::string& f : r->files) std::cout << args.dir << "/" << f << "\n";
    return 0;
  });
}

}  // namespace

void RegisterEvents(CLI::App& app, Context& ctx) {
  CLI::App* events = app.add_subcommand("events", "export or archive the audit trail");
  events->require_subcommand(1);

  auto ex = std::make_shared<ExportArgs>();
  CLI::App* exp = events->add_subcommand(
      "export",
      "write the audit trail's events as NDJSON (one JSON object per line, oldest first, the "
      "fields of GET /v1/events) to stdout or --out; every given filter must hold");
  exp->add_option("--since", ex->since, "only events at or after this RFC 3339 time");
  exp->add_option("--until", ex->until, "only events before this RFC 3339 time");
  exp->add_option("--type", ex->types,
                  "only events of this type (repeatable; \"filing.*\" is a prefix)");
  exp->add_option("--account-id", ex->account_id, "only events of this account")
      ->check(AccountIdValidator());
  exp->add_option("--object-id", ex->object_id, "only events of this object (their subject)");
  exp->add_option("--out", ex->out, "write to FILE instead of stdout");
  exp->callback([&ctx, ex] { ctx.exit_code = RunExport(ctx, *ex); });

  auto ar = std::make_shared<ArchiveArgs>();
  CLI::App* arc = events->add_subcommand(
      "archive",
      "once: write every event before --before to NDJSON files in --dir "
      "(events-FIRSTSEQ-LASTSEQ-DATE.ndjson, fsynced), then delete exactly those events");
  arc->add_option("--before", ar->before, "archive events before this RFC 3339 time")->required();
  arc->add_option("--dir", ar->dir, "an existing directory for the files")->required();
  arc->callback([&ctx, ar] { ctx.exit_code = RunArchive(ctx, *ar); });
}

}  // namespace beian::cli
