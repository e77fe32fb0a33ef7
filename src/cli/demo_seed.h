#pragma once
// The demo data set of `beian demo` (docs/demo.md), seeded through the Service so that its events
// and invariants are real.
#include <string>
#include <vector>

#include "service/service.h"
#include "store/store.h"

namespace beian::cli {

// True when the demo data is already there (the account `operator` exists; it is created last).
Result<bool> DemoSeeded(Store& store);
// Seeds the accounts, products, numbers and filings of docs/demo.md relative to service.Now().
Status SeedDemo(Service& service);

struct DemoToken {
  std::string account_id;
  std::string role;
  std::string token;
};
// A fresh token for each demo account, operator first.
Result<std::vector<DemoToken>> IssueDemoTokens(Service& service);

}  // namespace beian::cli
