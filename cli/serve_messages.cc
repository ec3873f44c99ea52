// The lines `attune serve` prints: one for each typed event node::Serve reports.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "cli/notify_messages.h"
#include "node/endpoint.h"
#include "node/serve_events.h"

namespace attune::cli {
namespace {

using node::ServeEvent;
using node::ServeEventKind;

// " (could not remember the address: …)" when remembering the partner's address failed.
std::string NotRemembered(const Status& problem) {
  return problem.ok() ? "" : " (could not remember the address: " + problem.detail() + ")";
}

// " from HOST", or " through Tor" for the onion service's connections (Tor hides where from).
std::string From(const std::string& host) {
  return host == node::kThroughTorHost ? " through Tor" : " from " + host;
}

std::string SessionEnded(const ServeEvent& event) {
  const node::ServeCounts& counts = event.counts;
  // Refused rows are named only when there were some: an honest partner sends none.
  const std::string refused =
      counts.refused == 0 ? "" : ", refused " + std::to_string(counts.refused);
  return "the connection with your partner ended (sent " + std::to_string(counts.sent) +
         ", withdrew " + std::to_string(counts.withdrew) + ", received " +
         std::to_string(counts.received) + ", removed " + std::to_string(counts.removed) + refused +
         ")" + (event.problem.ok() ? "" : ": " + event.problem.detail());
}

std::string DialFailed(const ServeEvent& event) {
  const std::string at =
      event.host.empty() ? "" : " at " + node::Endpoint{event.host, event.port}.ToString();
  return "could not reach your partner" + at + " (" + event.problem.detail() +
         "); trying again in " + std::to_string(event.retry_in.count()) + " s";
}

// The events the person may have to act on.
std::string Notice(const ServeEvent& event) {
  switch (event.kind) {
    case ServeEventKind::kOlderAttuneTriedToConnect:
      return "an older attune tried to connect from " + event.host +
             " and was turned away unanswered; if it is your partner's, ask them to update it";
    case ServeEventKind::kPartnerOlder:
      return "your partner's attune at " + event.host +
             " is older; ask them to update it (trying again later)";
    case ServeEventKind::kPartnerNewer:
      return "your partner's attune" + (event.host.empty() ? "" : " at " + event.host) +
             " is newer; update attune to keep in touch with it";
    case ServeEventKind::kWithheldDamaged:
      return std::to_string(event.count) + " of your shared entries failed their integrity " +
             "check (changed outside attune, or damaged) and were withdrawn rather than sent; " +
             "`attune doctor` names them";
    default:
      return "";
  }
}

// The event's kind as `serve --json` names it (a stable name: scripts and a browser read it).
const char* KindName(ServeEventKind kind) {
  switch (kind) {
    case ServeEventKind::kListening:
      return "listening";
    case ServeEventKind::kAnnouncing:
      return "announcing";
    case ServeEventKind::kStopping:
      return "stopping";
    case ServeEventKind::kPartnerConnected:
      return "partner_connected";
    case ServeEventKind::kPartnerReached:
      return "partner_reached";
    case ServeEventKind::kPartnerConnectedForOneExchange:
      return "partner_connected_once";
    case ServeEventKind::kSessionEnded:
      return "session_ended";
    case ServeEventKind::kDialFailed:
      return "dial_failed";
    case ServeEventKind::kAddressNotRemembered:
      return "address_not_remembered";
    case ServeEventKind::kConnectionClosed:
      return "connection_closed";
    case ServeEventKind::kTurnedAwayOldest:
      return "turned_away_oldest";
    case ServeEventKind::kOlderAttuneTriedToConnect:
      return "older_attune_tried_to_connect";
    case ServeEventKind::kPartnerOlder:
      return "partner_older";
    case ServeEventKind::kPartnerNewer:
      return "partner_newer";
    case ServeEventKind::kWithheldDamaged:
      return "withheld_damaged";
    case ServeEventKind::kTorBootstrap:
      return "tor_bootstrap";
    case ServeEventKind::kOnionPublished:
      return "onion_published";
    case ServeEventKind::kTorProblem:
      return "tor_problem";
    case ServeEventKind::kPartnerNews:
      return "partner_news";
    case ServeEventKind::kNotificationsUnavailable:
      return "notifications_unavailable";
  }
  return "unknown";
}

}  // namespace

nlohmann::json ServeEventJson(const ServeEvent& event) {
  nlohmann::json out{{"event", KindName(event.kind)}};
  if (!event.host.empty()) out["host"] = event.host;
  if (event.port != 0) out["port"] = event.port;
  if (event.kind == ServeEventKind::kSessionEnded) {
    out["sent"] = event.counts.sent;
    out["withdrew"] = event.counts.withdrew;
    out["received"] = event.counts.received;
    out["removed"] = event.counts.removed;
    out["refused"] = event.counts.refused;
  }
  if (event.kind == ServeEventKind::kWithheldDamaged ||
      event.kind == ServeEventKind::kPartnerNews) {
    out["count"] = event.count;
  }
  if (event.kind == ServeEventKind::kDialFailed || event.kind == ServeEventKind::kTorProblem) {
    out["retry_in_s"] = event.retry_in.count();
  }
  if (event.kind == ServeEventKind::kTorBootstrap) out["percent"] = event.count;
  // What went wrong, as a script tells it apart: the exit code the same failure gives a
  // command (README "Exit codes"), and the typed reason's number where there is one.
  if (!event.problem.ok()) {
    out["problem"] = {{"exit", ExitCodeFor(event.problem)}, {"reason", event.problem.reason()}};
  }
  return out;
}

std::string ServeEventText(const ServeEvent& event) {
  switch (event.kind) {
    case ServeEventKind::kListening:
      return "listening on " + node::Endpoint{event.host, event.port}.ToString();
    case ServeEventKind::kAnnouncing:
      return "announcing itself to your partner on this network (UDP port " +
             std::to_string(event.port) + ")";
    case ServeEventKind::kStopping:
      return "stopping";
    case ServeEventKind::kPartnerConnected:
      return "your partner connected" + From(event.host) + NotRemembered(event.problem) +
             "; syncing live";
    case ServeEventKind::kPartnerReached:
      return "your partner is reachable at " + event.host + NotRemembered(event.problem) +
             "; syncing live";
    case ServeEventKind::kPartnerConnectedForOneExchange:
      return "your partner connected" + From(event.host) + " for one exchange" +
             NotRemembered(event.problem);
    case ServeEventKind::kSessionEnded:
      return SessionEnded(event);
    case ServeEventKind::kDialFailed:
      return DialFailed(event);
    case ServeEventKind::kAddressNotRemembered:
      return "could not remember your partner's address: " + event.problem.detail();
    case ServeEventKind::kConnectionClosed:
      return "a connection" + From(event.host) + " was closed: " + event.problem.detail();
    case ServeEventKind::kTurnedAwayOldest:
      return "too many unfinished connections; turned one away (the one waiting longest)";
    case ServeEventKind::kOlderAttuneTriedToConnect:
    case ServeEventKind::kPartnerOlder:
    case ServeEventKind::kPartnerNewer:
    case ServeEventKind::kWithheldDamaged:
      return Notice(event);
    case ServeEventKind::kTorBootstrap:
      return "starting Tor: " + std::to_string(event.count) + "%";
    case ServeEventKind::kOnionPublished:
      return "reachable through Tor at " + node::Endpoint{event.host, event.port}.ToString() +
             " (only your partner's attune can use it)";
    case ServeEventKind::kTorProblem:
      if (event.problem.Is(node::LinkReason::kPartnerHasNoOnion)) {
        return "not publishing an onion service yet: " + Explain(event.problem) +
               " This serve publishes it as soon as your partner's address arrives.";
      }
      return "Tor is not available: " + Explain(event.problem) + " Trying again in " +
             std::to_string(event.retry_in.count()) + " s; this network keeps working.";
    case ServeEventKind::kPartnerNews:
      return "something new arrived from your partner (" + std::to_string(event.count) +
             (event.count == 1 ? " entry)" : " entries)");
    case ServeEventKind::kNotificationsUnavailable:
      return NotificationsUnavailableText(event.problem);
  }
  return "";
}

void ReportServeEvents(node::ServeOptions& options, bool json,
                       std::function<void(const node::ServeEvent&)> also) {
  options.on_event = [json, also = std::move(also)](const node::ServeEvent& event) {
    if (json) {
      std::cout << ServeEventJson(event).dump() << std::endl;
    } else {
      std::cout << "attune serve: " << ServeEventText(event) << std::endl;
    }
    if (also) also(event);
  };
  options.discovery.on_looking = [json] {
    if (json) {
      std::cout << nlohmann::json{{"event", "looking_for_partner"}}.dump() << std::endl;
    } else {
      std::cout << "attune serve: looking for your partner on this network" << std::endl;
    }
  };
}

}  // namespace attune::cli
