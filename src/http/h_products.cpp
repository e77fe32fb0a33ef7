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

// The CSV columns of GET /v1/products (docs/openapi.yaml, ProductCsv).
constexpr std::string_view kProductCsv[] = {"id",
                                            "account_id",
                                            "kind",
                                            "name",
                                            "billing",
                                            "region",
                                            "public_ips",
                                            "expires_at",
                                            "status",
                                            "created_at",
                                            "updated_at",
                                            "eligibility.can_apply",
                                            "eligibility.reasons[].code",
                                            "eligibility.quota.scope",
                                            "eligibility.quota.limit",
                                            "eligibility.quota.used"};

std::string ViewJson(const ProductView& v, Lang lang) {
  return ProductToJson(v.product, v.eligibility, lang);
}

// The body with "id" set to the path id; 400 when the body names another id.
Result<std::string> BodyWithPathId(const Ctx& c) {
  Text problem;
  std::optional<json::value> parsed = ParseStrictJson(c.req.body, problem);
  if (!parsed || !parsed->is_object()) return std::string(c.req.body);  // the codec reports it
  json::value& v = *parsed;
  json::object& o = v.get_object();
  if (const json::value* id = o.if_contains("id")) {
    if (!id->is_string() || id->get_string() != c.Param(0)) {
      return InvalidField("id", Text{"请求体中的 id 与路径中的 id 不一致",
                                     "id in the body does not match the id in the path"});
    }
    return std::string(c.req.body);
  }
  o["id"] = c.Param(0);
  return json::serialize(v);
}

}  // namespace

HandlerResult HandlePutProduct(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckProductId(c.Param(0)));
  BEIAN_ASSIGN_OR_RETURN(const std::string body, BodyWithPathId(c));
  BEIAN_ASSIGN_OR_RETURN(ProductInput input, ParseProductJson(body));
  BEIAN_ASSIGN_OR_RETURN(const UpsertOutcome out,
                         c.svc.UpsertProduct(c.principal, std::move(input)));
  std::string text = ViewJson(out.view, c.lang);
  if (out.issued && !text.empty() && text.back() == '}') {
    text.pop_back();
    text += ",\"issued_service_number\":";
    text += NumberToJson(NumberView{*out.issued, out.issued->state == NumberState::kAvailable});
    text += '}';
  }
  return JsonResponse(out.created ? 201 : 200, std::move(text));
}

HandlerResult HandleImport(Ctx& c) {
  std::istringstream in{std::string(c.req.body)};
  return Respond(c.svc.Import(c.principal, in), 200, [](const ImportReport& r) {
    json::array failed;
    for (const auto& f : r.failed) {
      failed.push_back(json::object{{"line", f.line}, {"code", f.code}, {"detail", f.detail}});
    }
    return json::serialize(json::object{{"created", r.created},
                                        {"updated", r.updated},
                                        {"failed", std::move(failed)},
                                        {"failed_count", r.failed_count}});
  });
}

HandlerResult HandleDeleteProduct(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckProductId(c.Param(0)));
  BEIAN_RETURN_IF_ERROR(CheckEmptyBody(c));
  return NoContent(c.svc.ReleaseProduct(c.principal, c.Param(0)));
}

HandlerResult HandleListProducts(Ctx& c) {
  ProductQuery q;
  BEIAN_ASSIGN_OR_RETURN(q.page, ParsePage(c, PageList::kProducts));
  if (const std::string* kind = c.Query("kind")) {
    q.kind = ParseKind(*kind);
    if (!q.kind) return InvalidField("kind", Text{"未知的产品类型", "unknown product kind"});
  }
  if (const std::string* can = c.Query("can_apply")) {
    if (*can != "true" && *can != "false") {
      return InvalidField(
          "can_apply", Text{"can_apply 必须是 true 或 false", "can_apply must be true or false"});
    }
    q.can_apply = *can == "true";
  }
  if (const std::string* account = c.Query("account_id")) {
    BEIAN_RETURN_IF_ERROR(CheckAccountId(*account, "account_id"));
    q.account_id = *account;
  }
  BEIAN_ASSIGN_OR_RETURN(const Page<ProductView> p, c.svc.ListProducts(c.principal, q));
  return ListResponse(c,
                      JsonArray(p.items, [&](const ProductView& v) { return ViewJson(v, c.lang); }),
                      p.next_page_token, kProductCsv, "products");
}

HandlerResult HandleGetProduct(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckProductId(c.Param(0)));
  return Respond(c.svc.GetProduct(c.principal, c.Param(0)), 200,
                 [&](const ProductView& v) { return ViewJson(v, c.lang); });
}

Status CheckApplyRequest(const Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckProductId(c.Param(0)));
  BEIAN_RETURN_IF_ERROR(CheckEmptyBody(c));
  return CheckIdempotencyKey(c);
}

ApiResponse AppliedResponse(const NumberView& n) {
  ApiResponse resp = JsonResponse(201, NumberToJson(n));
  resp.headers.emplace_back("Location", "/v1/service-numbers/" + n.number.code);
  return resp;
}

HandlerResult HandleApply(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckApplyRequest(c));
  BEIAN_ASSIGN_OR_RETURN(const NumberView n,
                         c.svc.Apply(c.principal, c.Param(0), c.req.idempotency_key));
  return AppliedResponse(n);
}

HandlerResult HandleApplyBatch(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckIdempotencyKey(c));
  BEIAN_ASSIGN_OR_RETURN(const std::vector<ApplyItem> items, ParseBatchApplyJson(c.req.body));
  BEIAN_ASSIGN_OR_RETURN(const std::vector<NumberView> numbers,
                         c.svc.ApplyBatch(c.principal, items, c.req.idempotency_key));
  return JsonResponse(201, "{\"items\":" + JsonArray(numbers, NumberToJson) + "}");
}

HandlerResult HandleEligibility(Ctx& c) {
  BEIAN_ASSIGN_OR_RETURN(const EligibilityRequest req, ParseEligibilityJson(c.req.body));
  auto items = req.product_ids.empty() ? c.svc.CheckEligibility(req.products)
                                       : c.svc.CheckEligibility(c.principal, req.product_ids);
  return Respond(std::move(items), 200, [&](const std::vector<EligibilityItem>& v) {
    return EligibilityItemsToJson(v, c.lang);
  });
}

}  // namespace beian::http
