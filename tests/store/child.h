#pragma once
// Child processes for multi-process store tests. The store_test binary re-runs itself as
// `store_test --child NAME ARGS…`; main.cpp then runs the function registered under NAME and exits
// with its return value instead of running the tests.
//
//   BEIAN_CHILD(issue_many) {        // args: the words after NAME
//     auto store = beian::Store::Open(args.at(0));
//     …
//     return 0;                      // the exit code
//   }
//   pid_t pid = beian::testing::SpawnChild("issue_many", {url()});
//   EXPECT_EQ(beian::testing::WaitChild(pid), 0);
#include <sys/types.h>

#include <string>
#include <vector>

namespace beian::testing {

using ChildMain = int (*)(const std::vector<std::string>& args);

// Registers `fn` under `name` (at static initialisation, through BEIAN_CHILD); returns true.
bool RegisterChild(const char* name, ChildMain fn);

// Runs the child named argv[2] with argv[3…]; returns its exit code (127 for an unknown name).
// Exceptions escaping the child give 125.
int RunChild(int argc, char** argv);

// Starts this binary as `--child name args…` with the same environment; returns the child's pid.
// Aborts the process if the child cannot be started.
pid_t SpawnChild(const std::string& name, const std::vector<std::string>& args);

// Waits for `pid`; returns its exit code, or 128 + signal number when it was killed.
int WaitChild(pid_t pid);

}  // namespace beian::testing

#define BEIAN_CHILD(name)                                             \
  static int BeianChild_##name(const std::vector<std::string>& args); \
  [[maybe_unused]] static const bool beian_child_registered_##name =  \
      ::beian::testing::RegisterChild(#name, &BeianChild_##name);     \
  static int BeianChild_##name([[maybe_unused]] const std::vector<std::string>& args)
