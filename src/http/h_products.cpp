// Products: upsert, import, release, list, get, and applying for a service number.
#include <boost/json.hpp>
#include <sstream>

#include "codec/api_json.h"
#include "codec/product_json.h"
#include "codec/strict_json.h"
#include "http/handlers.h"

namespace beian::http {
namespace json = boost::json;
namespace {

std::string ViewJson(const ProductView& v, Lang lang) {
  return ProductToJson(v.product, v.eligibility, lang);
}

// The body with "id" set to the path id; 400 when the body names another id.
std::optional<std::string> BodyWithPathId(const Ctx& c, ApiResponse& bad) {
  Text problem;
  std::optional<json::value> parsed = ParseStrictJson(c.req.body, problem);
  if (!parsed || !parsed->is_object()) return std::string(c.req.body);  // the codec reports it
  json::value& v = *parsed;
  json::object& o = v.get_object();
  if (const json::value* id = o.if_contains("id")) {
    if (!id->is_string() || id->get_string() != c.Param(0)) {
      bad = BadRequest(c, "id", "请求体中的 id 与路径中的 id 不一致",
                       "id in the body does not match the id in the path");
      return std::nullopt;
    }
    return std::string(c.req.body);
  }
  o["id"] = c.Param(0);
  return json::serialize(v);
}

}  // namespace

ApiResponse HandlePutProduct(Ctx& c) {
  ApiResponse bad;
  if (!CheckProductId(c, c.Param(0), bad)) return bad;
  auto body = BodyWithPathId(c, bad);
  if (!body) return bad;
  Result<ProductInput> input = ParseProductJson(*body);
  if (!input.ok()) return ProblemResponse(input.error(), c.lang);
  Result<UpsertOutcome> out = c.svc.UpsertProduct(c.principal, std::move(input.value()));
  if (!out.ok()) return ProblemResponse(out.error(), c.lang);
  std::string text = ViewJson(out->view, c.lang);
  if (out->issued && !text.empty() && text.back() == '}') {
    text.pop_back();
    text += ",\"issued_service_number\":";
    text += NumberToJson(NumberView{*out->issued, out->issued->state == NumberState::kAvailable});
    text += '}';
  }
  return JsonResponse(out->created ? 201 : 200, std::move(text));
}

ApiResponse HandleImport(Ctx& c) {
  std::istringstream in{std::string(c.req.body)};
  return Respond(c, c.svc.Import(c.principal, in), 200, [](const ImportReport& r) {
    json::array failed;
    for (const auto& f : r.failed) {
      failed.push_back(json::object{{"line", f.line}, {"code", f.code}, {"detail", f.detail}});
    }
    return json::serialize(json::object{
        {"created", r.created}, {"updated", r.updated}, {"failed", std::move(failed)}});
  });
}

ApiResponse HandleDeleteProduct(Ctx& c) {
  ApiResponse bad;
  if (!CheckProductId(c, c.Param(0), bad) || !CheckEmptyBody(c, bad)) return bad;
  Status st = c.svc.ReleaseProduct(c.principal, c.Param(0));
  if (!st.ok()) return ProblemResponse(st.error(), c.lang);
  ApiResponse resp;
  resp.status = 204;
  resp.content_type = "";
  return resp;
}

ApiResponse HandleListProducts(Ctx& c) {
  ApiResponse bad;
  ProductQuery q;
  auto page = ParsePage(c, PageList::kProducts, bad);
  if (!page) return bad;
  q.page = std::move(*page);
  if (const std::string* kind = c.Query("kind")) {
    q.kind = ParseKind(*kind);
    if (!q.kind) return BadRequest(c, "kind", "未知的产品类型", "unknown product kind");
  }
  if (const std::string* can = c.Query("can_apply")) {
    if (*can != "true" && *can != "false") {
      return BadRequest(c, "can_apply", "can_apply 必须是 true 或 false",
                        "can_apply must be true or false");
    }
    q.can_apply = *can == "true";
  }
  if (const std::string* account = c.Query("account_id")) {
    if (!IsValidAccountId(*account)) {
      return BadRequest(c, "account_id", "账号 ID 格式错误", "malformed account id");
    }
    q.account_id = *account;
  }
  return Respond(c, c.svc.ListProducts(c.principal, q), 200, [&](const Page<ProductView>& p) {
    return ListJson(JsonArray(p.items, [&](const ProductView& v) { return ViewJson(v, c.lang); }),
                    p.next_page_token);
  });
}

ApiResponse HandleGetProduct(Ctx& c) {
  ApiResponse bad;
  if (!CheckProductId(c, c.Param(0), bad)) return bad;
  return Respond(c, c.svc.GetProduct(c.principal, c.Param(0)), 200,
                 [&](const ProductView& v) { return ViewJson(v, c.lang); });
}

ApiResponse HandleApply(Ctx& c) {
  ApiResponse bad;
  if (!CheckProductId(c, c.Param(0), bad) || !CheckEmptyBody(c, bad) ||
      !CheckIdempotencyKey(c, bad)) {
    return bad;
  }
  Result<NumberView> n = c.svc.Apply(c.principal, c.Param(0), c.req.idempotency_key);
  if (!n.ok()) return ProblemResponse(n.error(), c.lang);
  ApiResponse resp = JsonResponse(201, NumberToJson(*n));
  resp.headers.emplace_back("Location", "/v1/service-numbers/" + n->number.code);
  return resp;
}

}  // namespace beian::http
