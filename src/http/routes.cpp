// The route table: every endpoint of docs/interface.md (and docs/openapi.yaml, checked by
// openapi_test.cpp).
#include "http/handlers.h"
#include "http/router.h"

namespace beian::http {
namespace {

const Route kRoutes[] = {
    {"GET", "/healthz", HandleHealthz, false, false, "*"},
    {"GET", "/readyz", HandleReadyz, false, true, "*"},
    {"GET", "/metrics", HandleMetrics, false, true, "*"},
    {"GET", "/", HandleIndex, false, false, "*"},
    {"GET", "/openapi.yaml", HandleOpenApi, false, false, "*"},
    {"GET", "/{path*}", HandleAsset, false, false, "*"},
    {"GET", "/v1/me", HandleMe, true, true, ""},
    {"PUT", "/v1/accounts/{id}", HandlePutAccount, true, true, ""},
    {"POST", "/v1/accounts/{id}/tokens", HandleIssueToken, true, true, ""},
    {"PUT", "/v1/products/{id}", HandlePutProduct, true, true, ""},
    {"POST", "/v1/imports", HandleImport, true, true, ""},
    {"DELETE", "/v1/products/{id}", HandleDeleteProduct, true, true, ""},
    {"GET", "/v1/products", HandleListProducts, true, true,
     "limit,page_token,kind,can_apply,account_id"},
    {"GET", "/v1/products/{id}", HandleGetProduct, true, true, ""},
    {"POST", "/v1/products/{id}/service-numbers", HandleApply, true, true, ""},
    {"GET", "/v1/service-numbers", HandleListNumbers, true, true,
     "limit,page_token,state,product_id"},
    {"GET", "/v1/service-numbers/{code}", HandleGetNumber, true, true, ""},
    {"POST", "/v1/service-numbers/{code}/grants", HandleGrant, true, true, ""},
    {"POST", "/v1/filings", HandleSubmitFiling, true, true, ""},
    {"GET", "/v1/filings", HandleListFilings, true, true, "limit,page_token,state"},
    {"GET", "/v1/filings/{id}", HandleGetFiling, true, true, ""},
    {"POST", "/v1/filings/{id}/approve", HandleApprove, true, true, ""},
    {"POST", "/v1/filings/{id}/reject", HandleReject, true, true, ""},
    {"POST", "/v1/filings/{id}/withdraw", HandleWithdraw, true, true, ""},
    {"POST", "/v1/filings/{id}/cancel", HandleCancel, true, true, ""},
    {"GET", "/v1/overview", HandleOverview, true, true, ""},
    {"GET", "/v1/events", HandleEvents, true, true, "after,limit"},
};

}  // namespace

std::span<const Route> Routes() { return kRoutes; }

}  // namespace beian::http
