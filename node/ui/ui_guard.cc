#include "node/ui/ui_guard.h"

#include <array>

#include "crypto/secure_bytes.h"
#include "node/ui.h"

namespace attune::node::ui {
namespace {

constexpr std::array kRoutes = {
    Route{"GET", "/", RouteKind::kPage},
    Route{"GET", "/app.js", RouteKind::kAsset},
    Route{"GET", "/app.css", RouteKind::kAsset},
    Route{"GET", "/wording.json", RouteKind::kAsset},
    // Browsers ask for it on their own; answered with nothing, so no error is logged.
    Route{"GET", "/favicon.ico", RouteKind::kAsset},
    Route{"GET", "/api/overview", RouteKind::kApi},
    Route{"GET", "/api/steps/{n}", RouteKind::kApi},
    Route{"GET", "/api/entries", RouteKind::kApi},
    Route{"POST", "/api/entries", RouteKind::kApi},
    Route{"GET", "/api/entries/{id}", RouteKind::kApi},
    Route{"PATCH", "/api/entries/{id}", RouteKind::kApi},
    Route{"DELETE", "/api/entries/{id}", RouteKind::kApi},
    Route{"POST", "/api/entries/{id}/preview", RouteKind::kApi},
    Route{"POST", "/api/entries/{id}/share", RouteKind::kApi},
    Route{"POST", "/api/entries/{id}/unshare", RouteKind::kApi},
    Route{"POST", "/api/entries/{id}/respond", RouteKind::kApi},
    Route{"POST", "/api/entries/{id}/restate", RouteKind::kApi},
    Route{"POST", "/api/entries/{id}/restore", RouteKind::kApi},
    Route{"GET", "/api/themes", RouteKind::kApi},
    Route{"POST", "/api/statement/check", RouteKind::kApi},
    Route{"POST", "/api/boundary/check", RouteKind::kApi},
    Route{"GET", "/api/shared", RouteKind::kApi},
    Route{"GET", "/api/quiz", RouteKind::kApi},
    Route{"POST", "/api/quiz", RouteKind::kApi},
    Route{"GET", "/api/style", RouteKind::kApi},
    Route{"POST", "/api/unpair", RouteKind::kApi},
    Route{"GET", "/api/exercises", RouteKind::kApi},
    Route{"POST", "/api/exercises", RouteKind::kApi},
    Route{"POST", "/api/exercises/{id}/answer", RouteKind::kApi},
    Route{"POST", "/api/exercises/{id}/withdraw", RouteKind::kApi},
    Route{"GET", "/api/pairing", RouteKind::kApi},
    Route{"POST", "/api/pairing/invite", RouteKind::kApi},
    Route{"POST", "/api/pairing/join", RouteKind::kApi},
    Route{"POST", "/api/pairing/cancel", RouteKind::kApi},
    Route{"POST", "/api/close", RouteKind::kApi},
    Route{"GET", "/api/events", RouteKind::kEvents},
};

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kSecurityHeaders = {{
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
     "connect-src 'self'; font-src 'none'; base-uri 'none'; form-action 'none'; "
     "frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-store"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
}};

Status Refused(Status (*make)(std::string), UiReason reason, std::string detail) {
  return make(std::move(detail)).WithReason(reason);
}

// Splits "/a/b" into its segments ("a", "b"); "/" has none.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t at = 1;
  while (at <= path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  if (path == "/") out.clear();
  return out;
}

// The pattern's parameters if `path` matches it.
std::optional<std::map<std::string, std::string>> Match(std::string_view pattern,
                                                        std::string_view path) {
  const std::vector<std::string_view> want = Segments(pattern);
  const std::vector<std::string_view> got = Segments(path);
  if (want.size() != got.size()) return std::nullopt;
  std::map<std::string, std::string> params;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{') {
      if (got[i].empty()) return std::nullopt;
      params[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(got[i]);
    } else if (want[i] != got[i]) {
      return std::nullopt;
    }
  }
  return params;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::map<std::string, std::string>> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t end = query.find('&');
    std::string_view pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::optional<std::string> name = DecodeQueryPart(pair.substr(0, equals));
    std::optional<std::string> value = DecodeQueryPart(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!name || !value) return std::nullopt;
    out[*name] = *value;
  }
  return out;
}

// The value of the cookie `name` in a Cookie header, if any.
std::string_view CookieValue(std::string_view cookies, std::string_view name) {
  while (!cookies.empty()) {
    size_t end = cookies.find(';');
    std::string_view one = cookies.substr(0, end);
    cookies = end == std::string_view::npos ? std::string_view() : cookies.substr(end + 1);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    const size_t equals = one.find('=');
    if (equals != std::string_view::npos && one.substr(0, equals) == name) {
      return one.substr(equals + 1);
    }
  }
  return {};
}

// Compares a presented secret with the expected one in time independent of where they differ.
bool SameSecret(std::string_view presented, const std::string& expected) {
  if (presented.size() != expected.size() || expected.empty()) return false;
  return crypto::SecureBytes::CopyOf(AsBytes(presented))
      .ConstantTimeEquals(crypto::SecureBytes::CopyOf(AsBytes(expected)));
}

}  // namespace

std::span<const Route> Routes() {
  return kRoutes;
}

std::span<const std::pair<std::string_view, std::string_view>> SecurityHeaders() {
  return kSecurityHeaders;
}

std::optional<std::string> DecodeQueryPart(std::string_view part) {
  std::string out;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] == '+') {
      out += ' ';
    } else if (part[i] == '%') {
      if (i + 2 >= part.size()) return std::nullopt;
      const int high = HexValue(part[i + 1]);
      const int low = HexValue(part[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += part[i];
    }
  }
  return out;
}

std::string SessionCookie(const Access& access) {
  return access.cookie_name + "=" + access.session + "; HttpOnly; SameSite=Strict; Path=/";
}

Decision Check(const RequestFacts& request, const Access& access) {
  Decision decision;
  if (request.host != access.host) {
    decision.refusal = Refused(&Status::AuthFailed, UiReason::kWrongHost,
                               "Host: " + std::string(request.host.substr(0, 100)));
    return decision;
  }
  const size_t question = request.target.find('?');
  decision.path = std::string(request.target.substr(0, question));
  std::optional<std::map<std::string, std::string>> query =
      ParseQuery(question == std::string_view::npos ? std::string_view()
                                                    : request.target.substr(question + 1));
  if (!query) {
    decision.refusal =
        Refused(&Status::InvalidArgument, UiReason::kBadRequest, "a malformed query");
    return decision;
  }
  decision.query = std::move(*query);
  bool path_known = false;
  for (const Route& route : kRoutes) {
    std::optional<std::map<std::string, std::string>> params = Match(route.pattern, decision.path);
    if (!params) continue;
    path_known = true;
    if (route.method != request.method) continue;
    decision.route = &route;
    decision.params = std::move(*params);
    break;
  }
  if (!decision.route) {
    decision.refusal = path_known
                           ? Refused(&Status::InvalidArgument, UiReason::kWrongMethod,
                                     std::string(request.method.substr(0, 16)))
                           : Refused(&Status::NotFound, UiReason::kNoSuchRoute, "no such route");
    return decision;
  }
  const bool has_session =
      SameSecret(CookieValue(request.cookie, access.cookie_name), access.session);
  const auto token = decision.query.find("token");
  const bool has_token = decision.route->kind == RouteKind::kPage &&
                         token != decision.query.end() && SameSecret(token->second, access.token);
  if (!has_session && !has_token) {
    decision.refusal =
        Refused(&Status::AuthFailed, UiReason::kNoSession, "no token and no session");
    return decision;
  }
  decision.start_session = has_token;
  const bool from_elsewhere =
      (!request.origin.empty() && request.origin != access.origin) ||
      (!request.sec_fetch_site.empty() && request.sec_fetch_site != "same-origin");
  const bool navigation = decision.route->kind == RouteKind::kPage;
  if ((request.method != "GET" && request.origin != access.origin) ||
      (!navigation && from_elsewhere)) {
    decision.refusal = Refused(&Status::AuthFailed, UiReason::kWrongOrigin,
                               "Origin: " + std::string(request.origin.substr(0, 100)));
    return decision;
  }
  return decision;
}

int HttpStatusFor(const Status& failure) {
  if (failure.Is(UiReason::kTooLarge)) return 413;
  if (failure.Is(UiReason::kWrongHost)) return 421;
  if (failure.Is(UiReason::kWrongMethod)) return 405;
  if (failure.Is(UiReason::kNoSession)) return 401;
  if (failure.Is(UiReason::kWrongOrigin)) return 403;
  switch (failure.code()) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kBusy:
      return 409;
    case StatusCode::kAuthFailed:
      return 403;
    default:
      return 500;
  }
}

}  // namespace attune::node::ui
