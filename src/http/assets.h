#pragma once
// Files embedded into the binary at build time (cmake/embed_assets.cmake): the console (web/*)
// and docs/openapi.yaml. Immutable, thread-safe.
#include <span>
#include <string_view>

namespace beian::http {

struct Asset {
  std::string_view path;  // relative to the source tree: "web/index.html", "docs/openapi.yaml"
  std::string_view data;
  std::string_view etag;  // quoted strong validator derived from the content
};

// Every embedded file (generated source).
std::span<const Asset> EmbeddedAssets();
// The file at `path`, or nullptr.
const Asset* FindAsset(std::string_view path);
// The Content-Type for a file name by its extension ("text/html; charset=utf-8", …).
std::string_view ContentTypeFor(std::string_view path);

}  // namespace beian::http
