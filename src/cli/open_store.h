#pragma once
// Opening the store for a subcommand: checks the schema first so that a command never runs
// against a database it does not understand.
#include <memory>
#include <string>

#include "domain/policy.h"
#include "domain/result.h"
#include "store/store.h"

namespace beian::cli {

// Prints `error` to stderr as one line: "beian: CODE: detail".
void PrintError(const Error& error);

// Opens the store at `url` and checks its schema; prints the refusal (the store's message says
// what to do: run `beian migrate`, or upgrade beian) and returns nullptr on failure.
std::unique_ptr<Store> OpenCheckedStore(const std::string& url);

// The default policy merged with `path` ("" for none); prints the refusal and returns nullopt.
std::optional<Policy> LoadPolicyOrPrint(const std::string& path);

}  // namespace beian::cli
