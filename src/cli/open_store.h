#pragma once
// Opening the store for a subcommand: checks the schema first so that a command never runs
// against a database it does not understand.
#include <memory>
#include <string>
#include <string_view>

#include "domain/policy.h"
#include "domain/result.h"
#include "service/service.h"
#include "store/store.h"

namespace beian::cli {

// Prints `error` to stderr as one line: "beian: CODE: detail" (see PrintErrorLine).
void PrintError(const Error& error);
// Prints "beian: <what>" to stderr as one line: runs of white space and control characters (such
// as libpq's "\n\t" continuation lines) become one space.
void PrintErrorLine(std::string_view what);

// Opens the store at `url` and checks its schema; prints the refusal (the store's message says
// what to do: run `beian migrate`, or upgrade beian) and returns nullptr on failure.
std::unique_ptr<Store> OpenCheckedStore(const std::string& url);

// Gives `service` the token pepper: the contents of the file named by BEIAN_TOKEN_PEPPER_FILE, or
// else BEIAN_TOKEN_PEPPER itself (at least 32 bytes either way; a file's trailing newline is
// dropped). Without either, the built-in key stays and, when `warn`, one warning line is printed.
// False (after printing why) when the configured pepper cannot be read or is too short.
bool ConfigureTokenPepper(Service& service, bool warn);

// The default policy merged with `path` ("" for none); prints the refusal and returns nullopt.
std::optional<Policy> LoadPolicyOrPrint(const std::string& path);

}  // namespace beian::cli
