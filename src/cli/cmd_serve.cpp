#include "cli/commands.h"

namespace beian::cli {

void RegisterServe(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace beian::cli
