// store_test: GoogleTest main, or a child process (`--child NAME ARGS…`, see child.h).
#include <gtest/gtest.h>

#include <cstring>

#include "store/child.h"

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--child") == 0) {
    return beian::testing::RunChild(argc, argv);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
