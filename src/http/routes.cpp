// The route table: every endpoint of docs/interface.md (and docs/openapi.yaml, checked by
// openapi_test.cpp).
#include "http/handlers.h"
#include "http/router.h"

namespace beian::http {
namespace {

// Scopes (domain/access.h) of the routes.
constexpr ScopeSet kProductsRead = ScopeBit(Scope::kProductsRead);
constexpr ScopeSet kNumbersRead = ScopeBit(Scope::kNumbersRead);
constexpr ScopeSet kApply = ScopeBit(Scope::kNumbersApply);
constexpr ScopeSet kGrant = ScopeBit(Scope::kNumbersGrant);
constexpr ScopeSet kFilingsRead = ScopeBit(Scope::kFilingsRead);
constexpr ScopeSet kFilingsWrite = ScopeBit(Scope::kFilingsWrite);
constexpr ScopeSet kEventsRead = ScopeBit(Scope::kEventsRead);
constexpr ScopeSet kInventory = ScopeBit(Scope::kInventoryWrite);
constexpr ScopeSet kReview = ScopeBit(Scope::kFilingsReview);
constexpr ScopeSet kAdmin = ScopeBit(Scope::kAccountsAdmin);

const Route kRoutes[] = {
    {"GET", "/healthz", HandleHealthz, false, false, "*", 0},
    {"GET", "/readyz", HandleReadyz, false, true, "*", 0},
    {"GET", "/metrics", HandleMetrics, false, true, "*", 0},
    {"GET", "/", HandleIndex, false, false, "*", 0},
    {"GET", "/openapi.yaml", HandleOpenApi, false, false, "*", 0},
    {"GET", "/{path*}", HandleAsset, false, false, "*", 0},
    {"GET", "/v1/me", HandleMe, true, true, "", 0},
    {"PUT", "/v1/accounts/{id}", HandlePutAccount, true, true, "", kAdmin},
    {"POST", "/v1/accounts/{id}/tokens", HandleIssueToken, true, true, "", kAdmin},
    {"PUT", "/v1/products/{id}", HandlePutProduct, true, true, "", kInventory},
    {"POST", "/v1/imports", HandleImport, true, true, "", kInventory},
    {"DELETE", "/v1/products/{id}", HandleDeleteProduct, true, true, "", kInventory},
    {"GET", "/v1/products", HandleListProducts, true, true,
     "limit,page_token,kind,can_apply,account_id", kProductsRead},
    {"GET", "/v1/products/{id}", HandleGetProduct, true, true, "", kProductsRead},
    {"POST", "/v1/products/{id}/service-numbers", HandleApply, true, true, "", kApply},
    {"GET", "/v1/service-numbers", HandleListNumbers, true, true,
     "limit,page_token,state,product_id", kNumbersRead},
    {"GET", "/v1/service-numbers/{code}", HandleGetNumber, true, true, "", kNumbersRead},
    {"POST", "/v1/service-numbers/{code}/grants", HandleGrant, true, true, "", kGrant},
    {"POST", "/v1/filings", HandleSubmitFiling, true, true, "", kFilingsWrite},
    {"GET", "/v1/filings", HandleListFilings, true, true, "limit,page_token,state", kFilingsRead},
    {"GET", "/v1/filings/{id}", HandleGetFiling, true, true, "", kFilingsRead},
    {"POST", "/v1/filings/{id}/approve", HandleApprove, true, true, "", kReview},
    {"POST", "/v1/filings/{id}/reject", HandleReject, true, true, "", kReview},
    {"POST", "/v1/filings/{id}/withdraw", HandleWithdraw, true, true, "", kFilingsWrite},
    {"POST", "/v1/filings/{id}/cancel", HandleCancel, true, true, "", kFilingsWrite | kReview},
    {"GET", "/v1/overview", HandleOverview, true, true, "", kProductsRead},
    {"GET", "/v1/events", HandleEvents, true, true, "after,limit", kEventsRead},
    {"GET", "/v1/accounts", HandleListAccounts, true, true, "limit,page_token", kAdmin},
    {"POST", "/v1/tokens", HandleCreateToken, true, true, "", 0},
    {"GET", "/v1/tokens", HandleListTokens, true, true, "account_id", 0},
    {"DELETE", "/v1/tokens/{id}", HandleRevokeToken, true, true, "", 0},
    {"POST", "/v1/tokens/{id}/rotate", HandleRotateToken, true, true, "", 0},
};

}  // namespace

std::span<const Route> Routes() { return kRoutes; }

}  // namespace beian::http
