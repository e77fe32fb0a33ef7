#include "cli/commands.h"

namespace beian::cli {

void RegisterImport(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace beian::cli
