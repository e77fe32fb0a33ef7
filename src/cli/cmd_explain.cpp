#include "cli/commands.h"

namespace beian::cli {

void RegisterExplain(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace beian::cli
