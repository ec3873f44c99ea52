// Internal to node/ui: what the page's server allows, decided from a request's facts alone
// (no sockets, no clock), so that every rule of docs/ui.md is tested without a network. The
// server (ui_server.cc) reads the request, asks Check, and answers as it says.
#ifndef ATTUNE_NODE_UI_UI_GUARD_H_
#define ATTUNE_NODE_UI_UI_GUARD_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace attune::node::ui {

// What a route serves.
enum class RouteKind {
  kPage,    // GET /: the page (and where the token is exchanged for the session cookie)
  kAsset,   // the page's script and style, and cli's words
  kApi,     // JSON
  kEvents,  // the event stream
};

struct Route {
  std::string_view method;
  std::string_view pattern;  // "{id}" and "{n}" match one path segment
  RouteKind kind;
};

// Every route the server answers, and nothing else.
std::span<const Route> Routes();

// A request as the guard sees it. Empty strings for absent headers.
struct RequestFacts {
  std::string_view method = {};
  std::string_view target = {};  // path and query, as sent
  std::string_view host = {};
  std::string_view origin = {};
  std::string_view cookie = {};
  std::string_view sec_fetch_site = {};  // what the browser says of who asks ("same-origin", ...)
};

// The secrets and the address the guard checks against.
struct Access {
  std::string host;     // "127.0.0.1:PORT"
  std::string origin;   // "http://127.0.0.1:PORT"
  std::string token;    // 64 hex digits, printed in the URL
  std::string session;  // 64 hex digits, the cookie's value (never printed)
  // "attune_session_PORT": a browser keeps cookies per host, not per port, so two pages on
  // 127.0.0.1 (two homes) need names of their own.
  std::string cookie_name;
};

struct Decision {
  Status refusal;  // ok: serve it
  const Route* route = nullptr;
  std::string path;                           // without the query
  std::map<std::string, std::string> params;  // "id", "n" from the pattern
  std::map<std::string, std::string> query;   // decoded
  bool start_session = false;  // the token was presented: answer with the session cookie
};

// The rules of docs/ui.md in their order: Host, route and method, token or session cookie, and
// who asks: a change must carry the server's own Origin; any other request but the page's own
// navigation must carry no other Origin and, where the browser says (Sec-Fetch-Site), come from
// the same origin (another port of 127.0.0.1 is the same site, so SameSite alone lets its
// requests carry the cookie). A refusal carries a UiReason.
Decision Check(const RequestFacts& request, const Access& access);

// The HTTP status for a failure: 400, 401, 403, 404, 405, 409, 413, 421, 431 or 500.
int HttpStatusFor(const Status& failure);

// The headers every response carries, errors and the page included.
std::span<const std::pair<std::string_view, std::string_view>> SecurityHeaders();

// The Set-Cookie value that starts a session.
std::string SessionCookie(const Access& access);

// Percent-decoding of a query's name or value ('+' is a space); nullopt for a bad escape.
std::optional<std::string> DecodeQueryPart(std::string_view part);

}  // namespace attune::node::ui

#endif  // ATTUNE_NODE_UI_UI_GUARD_H_
