#pragma once
// Service tests on both backends: BackendTest plus a World (service_world.h) over its store and a
// scratch directory for files outside the database.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/backend_fixture.h"
#include "store/service_world.h"

namespace beian::testing {

class ServiceTestBase : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    world_ = std::make_unique<World>(store());
  }
  void TearDown() override {
    world_.reset();
    if (!scratch_.empty()) std::filesystem::remove_all(scratch_);
    BackendTest::TearDown();
  }

  World& w() { return *world_; }
  Service& svc() { return world_->svc(); }

  // A temporary directory removed after the test.
  const std::string& ScratchDir() {
    if (scratch_.empty()) {
      std::string tmpl = "/tmp/beian-service-test.XXXXXX";
      if (::mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
      scratch_ = tmpl;
    }
    return scratch_;
  }

 private:
  std::unique_ptr<World> world_;
  std::string scratch_;
};

}  // namespace beian::testing
