#include "cli/open_store.h"

#include <iostream>

namespace beian::cli {

void PrintError(const Error& error) {
  std::cerr << "beian: " << ErrorCodeName(error.code) << ": " << error.detail.en << '\n';
}

std::unique_ptr<Store> OpenCheckedStore(const std::string& url) {
  Result<std::unique_ptr<Store>> store = Store::Open(url);
  if (!store) {
    PrintError(store.error());
    return nullptr;
  }
  if (Status st = (*store)->CheckSchema(); !st) {
    PrintError(st.error());
    return nullptr;
  }
  return std::move(store.value());
}

std::optional<Policy> LoadPolicyOrPrint(const std::string& path) {
  if (path.empty()) return DefaultPolicy();
  Result<Policy> p = LoadPolicyFile(path);
  if (!p) {
    PrintError(p.error());
    return std::nullopt;
  }
  return std::move(p.value());
}

}  // namespace beian::cli
