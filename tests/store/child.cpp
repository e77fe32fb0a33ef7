#include "store/child.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>

extern char** environ;

namespace beian::testing {
namespace {

std::map<std::string, ChildMain>& Registry() {
  static std::map<std::string, ChildMain> registry;
  return registry;
}

}  // namespace

bool RegisterChild(const char* name, ChildMain fn) {
  Registry()[name] = fn;
  return true;
}

int RunChild(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s --child NAME [ARGS…]\n", argv[0]);
    return 127;
  }
  const auto it = Registry().find(argv[2]);
  if (it == Registry().end()) {
    std::fprintf(stderr, "unknown child %s\n", argv[2]);
    return 127;
  }
  try {
    return it->second(std::vector<std::string>(argv + 3, argv + argc));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "child %s threw: %s\n", argv[2], e.what());
    return 125;
  }
}

pid_t SpawnChild(const std::string& name, const std::vector<std::string>& args) {
  std::vector<std::string> words = {"store_test", "--child", name};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ);
  if (rc != 0) {
    std::fprintf(stderr, "cannot spawn child %s: error %d\n", name.c_str(), rc);
    std::abort();
  }
  return pid;
}

int WaitChild(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 255;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace beian::testing
