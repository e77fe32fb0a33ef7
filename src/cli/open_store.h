#pragma once
// Opening the store for a subcommand: checks the schema first so that a command never runs
// against a database it does not understand.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "domain/policy.h"
#include "domain/result.h"
#include "service/service.h"
#include "store/store.h"

namespace beian::cli {

// Prints `error` to stderr as one line: "beian: CODE: detail" (and ": cause" when it has one).
void PrintError(const Error& error);
// Prints "beian: <what>" to stderr as one line: runs of white space and control characters (such
// as libpq's "\n\t" continuation lines) become one space.
void PrintErrorLine(std::string_view what);

// Opens the store at `url`. When PostgreSQL cannot be reached, retries with backoff (0.25 s
// doubling up to 5 s) for up to `wait`, printing one line per failed attempt to stderr. Prints
// the final refusal and returns nullptr on failure, with `*exit_code` 2 for a malformed URL and 1
// otherwise. Does not check the schema.
std::unique_ptr<Store> OpenWaiting(const std::string& url, std::chrono::seconds wait,
                                   int* exit_code);

// Opens the store at `url` and checks its schema; prints the refusal (the store's message says
// what to do: run `beian migrate`, or upgrade beian) and returns nullptr on failure.
std::unique_ptr<Store> OpenCheckedStore(const std::string& url);

// Gives `service` the token pepper: the contents of the file named by BEIAN_TOKEN_PEPPER_FILE, or
// else BEIAN_TOKEN_PEPPER itself (at least 32 bytes either way; a file's trailing newline is
// dropped). Without either, the built-in key stays and, when `warn`, one warning line is printed.
// False (after printing why) when the configured pepper cannot be read or is too short.
bool ConfigureTokenPepper(Service& service, bool warn);

// Runs fn(service) (which returns an exit code) on the checked store at `url`, with the default
// policy and the configured token pepper; 1 (after printing why) when the store cannot be used.
template <class F>
int WithService(const std::string& url, F&& fn) {
  std::unique_ptr<Store> store = OpenCheckedStore(url);
  if (!store) return 1;
  Service service(*store, DefaultPolicy());
  if (!ConfigureTokenPepper(service, false)) return 1;
  return fn(service);
}

// The default policy merged with `path` ("" for none); prints the refusal and returns nullopt.
std::optional<Policy> LoadPolicyOrPrint(const std::string& path);

}  // namespace beian::cli
