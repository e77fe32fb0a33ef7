#include "cli/commands.h"

namespace beian::cli {

void RegisterMigrate(CLI::App& /*app*/, Context& /*ctx*/) {}
void RegisterAccount(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace beian::cli
