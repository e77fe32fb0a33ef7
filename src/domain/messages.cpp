#include "domain/messages.h"

#include <array>
#include <string>

namespace beian {
namespace {

std::string N(int n) { return std::to_string(n); }

Text QuotaMessage(const Reason& r) {
  const std::string n = N(r.quota_limit);
  if (r.quota_per_account) {
    return {"该账号下此类产品可申请的备案服务号已达上限（每个账号共 " + n + " 个）",
            "This account has used all " + n +
                " service numbers allowed for this kind of product (counted per account)."};
  }
  if (r.quota_limit == 1) {
    return {"该产品只有 1 个备案服务号，且已发放，无法再申请新的备案服务号",
            "This product comes with exactly one service number, which has already been issued; "
            "no further number can be had."};
  }
  return {"该产品可申请的备案服务号已达上限（每个产品 " + n + " 个）",
          "This product has used all " + n + " service numbers it may have."};
}

Text QuotaRemedy(const Reason& r) {
  if (r.quota_per_account) {
    return {
        "额度按账号计算，注销备案或续费都不会恢复额度。如需为更多网站备案，请购买其他类型的可备案产"
        "品",
        "The quota counts the whole account and never comes back, neither by cancelling a "
        "filing nor by renewing. To file more websites, buy a fileable product of another "
        "kind."};
  }
  return {"服务号额度不会因注销备案或续费而恢复。如需为更多网站备案，请另行购买可备案的产品",
          "The quota never comes back, neither by cancelling a filing nor by renewing. To file "
          "more websites, buy another fileable product."};
}

Text PayAsYouGoRemedy(const Reason& r) {
  if (r.min_months <= 0) {
    return {"请将计费方式由按量付费转为包年包月后再申请",
            "Convert the billing from pay-as-you-go to subscription, then apply again."};
  }
  return {"请将计费方式由按量付费转为包年包月，且包月时长不少于 " + N(r.min_months) + " 个月",
          "Convert the billing from pay-as-you-go to subscription for at least " + N(r.min_months) +
              " months."};
}

// The CST date, with the time of day when it is not midnight: "2027-02-28", "2027-02-28 10:00".
std::string CstDateAndTime(Time t) {
  const std::string full = FormatRfc3339Cst(t);  // 2027-02-28T10:00:00+08:00
  const std::string date = full.substr(0, 10);
  const std::string time = full.substr(11, 8);
  if (time == "00:00:00") return date;
  return date + " " + (time.ends_with(":00") ? time.substr(0, 5) : time);
}

Text TermRemedy(const Reason& r) {
  if (!r.renew_until) {
    return {"请续费，使包年包月剩余时长不少于 " + N(r.min_months) + " 个月",
            "Renew so that at least " + N(r.min_months) + " months of the subscription remain."};
  }
  const std::string date = CstDateAndTime(*r.renew_until);
  return {"请续费，使到期时间不早于 " + date + "（北京时间）后再申请",
          "Renew the subscription until at least " + date +
              " (China Standard Time), then apply again."};
}

}  // namespace

Text ReasonMessage(const Reason& r) {
  switch (r.code) {
    case ReasonCode::kNoServiceNumberNeeded:
      return {"该产品备案无需申请备案服务号", "This product is filed without a service number."};
    case ReasonCode::kNotOwner:
      return {"当前登录的账号不是购买该产品时使用的账号",
              "The signed-in account is not the account that bought this product."};
    case ReasonCode::kRegionNotMainland:
      return {"该产品所在地域不在中国内地，无需申请备案服务号",
              "The product is in a region outside mainland China."};
    case ReasonCode::kPayAsYouGo:
      return {"该实例的计费方式为按量付费，按量付费实例不支持备案",
              "The instance is billed pay-as-you-go; pay-as-you-go instances cannot be filed."};
    case ReasonCode::kExpired:
      return {"该产品已到期，已到期的产品无法申请备案服务号",
              "The product has expired; an expired product cannot get service numbers."};
    case ReasonCode::kRemainingTermTooShort:
      return {"包年包月剩余时长不足 " + N(r.min_months) + " 个月，不满足备案要求",
              "Less than " + N(r.min_months) +
                  " months of the subscription remain; filing needs at least that much."};
    case ReasonCode::kNoPublicIp:
      return {"该实例无可备案的IP：实例未开通公网带宽，没有公网 IP",
              "The instance has no fileable IP: it has no public bandwidth or public IP."};
    case ReasonCode::kQuotaExhausted:
      return QuotaMessage(r);
    case ReasonCode::kProductNotFound:
      return {"产品不存在", "No such product."};
  }
  return {};
}

Text ReasonRemedy(const Reason& r) {
  switch (r.code) {
    case ReasonCode::kNoServiceNumberNeeded:
      return {"请将备案域名解析并绑定到您的诚信通旺铺或企业官网，然后登录旺铺备案系统提交备案申请",
              "Point the domain at your shop or company site and bind it there, then submit the "
              "filing in the shop filing system."};
    case ReasonCode::kNotOwner:
      return {"请使用购买该产品时的账号登录后再申请",
              "Sign in with the account that bought the product."};
    case ReasonCode::kRegionNotMainland:
      return {
          "只有网站部署在中国内地地域的服务器上并开放访问时才需要备案，使用中国香港地区的服务器无需"
          "备案。"
          "如需备案，请购买中国内地地域的可备案产品",
          "Only websites served from servers in mainland China need an ICP filing; a server "
          "in Hong Kong needs none. To file, buy a fileable product in a mainland region."};
    case ReasonCode::kPayAsYouGo:
      return PayAsYouGoRemedy(r);
    case ReasonCode::kExpired:
      return {"请先为该产品续费，续费后再申请备案服务号",
              "Renew the product first, then apply for a service number."};
    case ReasonCode::kRemainingTermTooShort:
      return TermRemedy(r);
    case ReasonCode::kNoPublicIp:
      return {"请通过升降配为实例开通公网带宽（或绑定公网 IP）后再申请",
              "Add public bandwidth (or a public IP) to the instance by changing its "
              "configuration, then apply again."};
    case ReasonCode::kQuotaExhausted:
      return QuotaRemedy(r);
    case ReasonCode::kProductNotFound:
      return {"请检查产品 ID，并使用购买该产品时的账号登录",
              "Check the product id, and sign in with the account that bought the product."};
  }
  return {};
}

Text HintMessage(HintCode h) {
  switch (h) {
    case HintCode::kHongKongNoFilingNeeded:
      return {"使用中国香港地区的服务器托管网站，无需备案",
              "Websites hosted on servers in Hong Kong need no ICP filing."};
    case HintCode::kVhostCredentialsAccepted:
      return {"云虚拟主机也可以直接使用主机的用户名和密码验证产品，无需申请备案服务号",
              "A virtual host can also be verified with the host's username and password instead "
              "of a service number."};
  }
  return {};
}

Text AdviceMessage(AdviceCode a) {
  switch (a) {
    case AdviceCode::kNoFileableProduct:
      return {"您的账号下还没有可备案的产品", "Your account has no fileable product yet."};
    case AdviceCode::kServerElsewhere:
      return {"域名在本平台购买、服务器在其他服务商处时，备案需在服务器提供商处办理",
              "When the domain was bought here but the server is at another provider, the filing "
              "is made with that provider."};
  }
  return {};
}

Text AdviceRemedy(AdviceCode a) {
  switch (a) {
    case AdviceCode::kNoFileableProduct:
      return {
          "请先购买中国内地地域的可备案服务器（如云服务器 ECS、轻量应用服务器），再申请备案服务号",
          "Buy a fileable server in a mainland China region first (for example an ECS "
          "instance or a Simple Application Server), then apply for a service number."};
    case AdviceCode::kServerElsewhere:
      return {"请联系您的服务器提供商，在其备案平台提交备案申请",
              "Contact your server provider and submit the filing through its filing system."};
  }
  return {};
}

}  // namespace beian
