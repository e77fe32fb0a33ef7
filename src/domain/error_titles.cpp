// ErrorTitle (messages.h): the standard title of every error code.
#include <array>

#include "domain/messages.h"

namespace beian {
namespace {

struct Title {
  const char* zh;
  const char* en;
};

// Indexed by ErrorCode; keep in the enum's order.
constexpr std::array<Title, 29> kTitles{{
    {"请求无效", "Invalid request"},
    {"未登录或令牌无效", "Not signed in, or the token is not valid"},
    {"没有权限执行此操作", "Forbidden"},
    {"资源不存在", "Not found"},
    {"不支持该请求方法", "Method not allowed"},
    {"请求内容过大", "Payload too large"},
    {"尝试次数过多，请稍后再试", "Too many attempts; try again later"},
    {"写操作过于频繁，请稍后再试", "Too many writes; try again later"},
    {"不满足申请备案服务号的条件", "Not eligible for a service number"},
    {"幂等键已用于其他请求", "Idempotency key reused for another request"},
    {"域名无效", "Invalid domain"},
    {"备案服务号格式不正确", "Malformed service number"},
    {"备案服务号不存在", "Service number not found"},
    {"备案服务号已失效", "Service number voided"},
    {"备案服务号已使用且已备案成功，不能再用于其他域名", "Service number already filed"},
    {"备案服务号正被其他备案申请使用", "Service number in review by another filing"},
    {"备案服务号所属产品不满足备案条件", "The service number's product is not eligible"},
    {"主机用户名或密码错误", "Invalid host username or password"},
    {"当前状态不允许此操作", "Invalid state for this action"},
    {"该域名已备案，或本账号已有该域名的备案申请",
     "The domain is filed, or this account already has a filing of it"},
    {"该域名已有其他已通过的备案", "Another filing of this domain is approved"},
    {"令牌缺少此操作所需的权限范围", "The token lacks a scope this operation needs"},
    {"不能停用或降级最后一个管理员", "The last admin cannot be demoted or disabled"},
    {"拥有产品的账号不能成为运营账号", "An account that owns products cannot be an operator"},
    {"策略文件无效", "Invalid policy"},
    {"数据库结构版本高于当前程序", "Database schema is newer than this program"},
    {"服务器不支持该请求所需的功能", "Not implemented"},
    {"服务暂不可用", "Service unavailable"},
    {"内部错误", "Internal error"},
}};
static_assert(kTitles.size() == static_cast<std::size_t>(ErrorCode::kInternal) + 1);

}  // namespace

Text ErrorTitle(ErrorCode c) {
  const Title& t = kTitles[static_cast<std::size_t>(c)];
  return {t.zh, t.en};
}

}  // namespace beian
