// `attune doctor`: looks over the home, the database, the link and the serve port, one line per
// check, each saying what is fine or what to do. It changes nothing but the partner's last
// contact time (a successful ping records it, as `attune ping` does).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "cli/doctor_messages.h"
#include "cli/exit_codes.h"
#include "cli/format.h"
#include "cli/messages.h"
#include "cli/tor_flags.h"
#include "cli/tor_messages.h"
#include "node/doctor.h"
#include "node/home.h"
#include "node/journal_reason.h"
#include "node/link.h"
#include "node/ui.h"

namespace attune::cli {
namespace {

enum class Verdict { kOk, kProblem, kSkipped };

struct Check {
  std::string name;  // stable, for --json: home, database, unlock, seals, partner, serve-port,
                     // firewall, tor, tor-installed, tor-bootstrap, onion-published,
                     // partner-onion
  Verdict verdict = Verdict::kOk;
  std::string message;
  Status problem = Status::Ok();  // for a kProblem: what decides the exit code; for a kSkipped:
                                  // why, when a reason says it (not paired)
  nlohmann::json facts = nlohmann::json::object();  // for --json: what the check found
};

// Messages are stored without the final full stop (Explain's sentences end with one); the text
// output adds it.
std::string WithoutFullStop(std::string message) {
  while (!message.empty() && message.back() == '.') message.pop_back();
  return message;
}

Check Ok(std::string name, std::string message) {
  return {std::move(name), Verdict::kOk, WithoutFullStop(std::move(message))};
}

Check Skipped(std::string name, std::string message) {
  return {std::move(name), Verdict::kSkipped, WithoutFullStop(std::move(message))};
}

Check Skipped(std::string name, Status why) {
  return {std::move(name), Verdict::kSkipped, WithoutFullStop(Explain(why)), std::move(why)};
}

Check Problem(std::string name, std::string message, Status problem) {
  return {std::move(name), Verdict::kProblem, WithoutFullStop(std::move(message)),
          std::move(problem)};
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "; ") + line;
  return text;
}

// Permission bits as chmod takes them: "755".
std::string Octal(unsigned mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%03o", mode & 0777);
  return text;
}

Check CheckHome(const node::Home& home) {
  if (!home.HasJournal()) {
    const Status none = Status::NotFound("there is no journal in " + home.dir() + " yet")
                            .WithReason(node::JournalReason::kNoJournal);
    return Problem("home", Explain(none), none);
  }
  std::vector<std::string> warnings;
  nlohmann::json open = nlohmann::json::array();
  for (const node::LoosePath& loose : home.LoosePaths()) {
    warnings.push_back(PermissionWarning(loose));
    open.push_back({{"path", loose.path},
                    {"mode", Octal(loose.mode)},
                    {"private_mode", Octal(loose.private_mode)}});
  }
  if (warnings.empty()) return Ok("home", home.dir() + " is private to you");
  Check check =
      Problem("home", Joined(warnings) + ". Only you should be able to reach your journal",
              Status::IoError("your home is open to other users"));
  check.facts["open_to_others"] = std::move(open);
  return check;
}

Check CheckDatabase(const node::Home& home) {
  Result<std::string> report = node::CheckDatabaseIntegrity(home);
  if (!report.ok()) return Problem("database", Explain(report.status()), report.status());
  if (*report == "ok") return Ok("database", "the database passed SQLite's integrity check");
  const std::string first_line = report->substr(0, report->find('\n'));
  return Problem("database",
                 "the database failed SQLite's integrity check (" + first_line +
                     "). Nothing was changed. Export what still opens (`attune export --format "
                     "json --out FILE`) and restore it into a fresh home, or restore a backup",
                 Status::Corruption("the integrity check failed"));
}

Check CheckUnlock(const Result<node::Journal>& journal) {
  if (!journal.ok()) return Problem("unlock", Explain(journal.status()), journal.status());
  if (journal->passphrase_protected())
    return Ok("unlock", "the journal unlocks with your passphrase");
  return Ok("unlock",
            "the journal unlocks, and has no passphrase: anyone who can read its files can read "
            "it (`attune passwd` sets one)");
}

// Every entry, outgoing log row and record opened with the journal's key, as a partner's sync
// and the commands would: what fails its integrity check is named.
Check CheckSeals(Result<node::Journal>& journal) {
  if (!journal.ok()) return Skipped("seals", "needs the journal unlocked");
  Result<node::Journal::SealCheck> seals = journal->CheckSeals();
  if (!seals.ok()) return Problem("seals", Explain(seals.status()), seals.status());
  const std::shared_ptr<const node::DamageReport> damage = journal->damage();
  if (!damage->empty()) {
    const auto reason = damage->entries.empty() ? node::JournalReason::kRecordDamaged
                                                : node::JournalReason::kEntryDamaged;
    return Problem("seals", DamageMessage(*damage),
                   Status::AuthFailed("integrity check").WithReason(reason));
  }
  return Ok("seals", std::to_string(seals->entries) + " entries, " +
                         std::to_string(seals->log_rows) + " shared or withdrawn, " +
                         std::to_string(seals->records) +
                         " records: each passed its integrity check");
}

// The port the partner is told to reach, from "HOST:PORT"; the default serve port otherwise.
uint16_t PortOf(const std::string& address) {
  Result<node::Endpoint> endpoint = node::ParseEndpoint(address, node::kDefaultServePort);
  return endpoint.ok() ? endpoint->port : node::kDefaultServePort;
}

// Whether a node (`serve`, or `ui` running the link) runs on this home: it holds the home's lock.
bool NodeRunsHere(const node::Home& home) {
  Result<node::HomeLock> lock = node::HomeLock::Acquire(home);
  return !lock.ok() && lock.status().code() == StatusCode::kBusy;
}

Check CheckPartner(node::Journal& journal, const node::Partner& partner, const node::Home& home) {
  // A serve here with a live session is the best answer there is: the two attunes are talking.
  if (Result<bool> live = node::HostedLinkConnected(home); live.ok() && *live) {
    Check check = Ok("partner", LiveSessionText());
    check.facts = {{"live_session", true}};
    return check;
  }
  node::LinkTimeouts timeouts;
  timeouts.connect = std::chrono::seconds(5);
  timeouts.handshake = std::chrono::seconds(10);
  Result<node::PingResult> ping = node::PingPartner(journal, std::nullopt, timeouts);
  if (ping.ok()) {
    const int64_t round_trip_ms = ping->round_trip.count() / 1000;
    Check check = Ok("partner", "your partner's attune answered at " + ping->address +
                                    " (round trip " + std::to_string(round_trip_ms) + " ms)");
    check.facts = {{"address", ping->address}, {"round_trip_ms", round_trip_ms}};
    return check;
  }
  const Status& failure = ping.status();
  // An attune of another version answered: nothing to fix in the network.
  if (failure.code() == StatusCode::kUnsupported)
    return Problem("partner", Explain(failure), failure);
  const uint16_t port = PortOf(partner.last_address);
  // The link's own detail names the address and the cause; the summary on standard error
  // stays short.
  Status summary = failure.code() == StatusCode::kUnreachable
                       ? Status::Unreachable("your partner's attune could not be reached")
                       : failure;
  const std::string cause = failure.Is(node::LinkReason::kPartnerNotFound)
                                ? PartnerNotFoundText(failure.detail())
                                : failure.detail();
  Check check = Problem("partner", PartnerUnreachableText(cause, port), std::move(summary));
  check.facts["port"] = port;  // the one their firewall must let in
  return check;
}

const char* PortUserName(node::PortState state) {
  switch (state) {
    case node::PortState::kFree:
      return "nobody";
    case node::PortState::kUsedByAttuneServe:
      return "attune_serve";
    case node::PortState::kUsedByOther:
      break;
  }
  return "other";
}

Check CheckServePort(uint16_t port, bool node_here) {
  Result<node::PortCheck> port_check = node::CheckListenPort("0.0.0.0", port);
  if (!port_check.ok())
    return Problem("serve-port", Explain(port_check.status()), port_check.status());
  // The port is free, yet a serve (or ui) runs here: it listens elsewhere (its --listen).
  if (node_here && port_check->state == node::PortState::kFree) {
    Check check = Ok("serve-port", NodeListensElsewhereText(port));
    check.facts = {{"port", port}, {"used_by", "nobody"}, {"node_here", true}};
    return check;
  }
  Check check = port_check->state == node::PortState::kUsedByOther
                    ? Problem("serve-port", ServePortText(*port_check, port),
                              Status::InvalidArgument("the serve port is taken"))
                    : Ok("serve-port", ServePortText(*port_check, port));
  check.facts = {{"port", port}, {"used_by", PortUserName(port_check->state)}};
  if (port_check->serve_pid) check.facts["serve_pid"] = *port_check->serve_pid;
  return check;
}

Check CheckFirewall(uint16_t port) {
  const node::FirewallReport firewall = node::InspectFirewall(port);
  const std::string said = FirewallText(firewall, port);
  Check check = Ok("firewall", said);
  if (!firewall.readable) {
    check = Skipped("firewall", said);
  } else if (firewall.may_block) {
    check = Problem("firewall", said, Status::Unreachable("the firewall may block your partner"));
  }
  check.facts = {{"port", port},
                 {"firewall", firewall.name},
                 {"readable", firewall.readable},
                 {"refusal", FirewallRefusalName(firewall.refusal)}};
  return check;
}

// The checks that need the unlocked journal and a partner.
void CheckLink(const node::Home& home, Result<node::Journal>& journal, std::vector<Check>& checks) {
  const char* names[] = {"partner", "serve-port", "firewall"};
  if (!journal.ok()) {
    for (const char* name : names) checks.push_back(Skipped(name, "needs the journal unlocked"));
    return;
  }
  Result<std::optional<node::Partner>> partner = journal->GetPartner();
  if (!partner.ok()) {
    for (const char* name : names)
      checks.push_back(Problem(name, Explain(partner.status()), partner.status()));
    return;
  }
  if (!*partner) {
    for (const char* name : names) {
      checks.push_back(Skipped(
          name, Status::NotFound("not paired yet").WithReason(node::JournalReason::kNotPaired)));
    }
    return;
  }
  checks.push_back(CheckPartner(*journal, **partner, home));
  Result<uint16_t> port = journal->ServePort();
  if (!port.ok()) {
    checks.push_back(Problem("serve-port", Explain(port.status()), port.status()));
    checks.push_back(Skipped("firewall", "needs the serve port"));
    return;
  }
  checks.push_back(CheckServePort(*port, NodeRunsHere(home)));
  checks.push_back(CheckFirewall(*port));
}

// ---- Tor (issue 17): only where Tor is on for the journal ----

Check CheckOnionPublished(const node::Home& home) {
  if (!ServeRuns(home)) return Skipped("onion-published", OnionPublishedOnlyWhileServingText());
  const std::optional<std::string> address = node::PublishedOnionAddress(home.tor_folder());
  if (!address) {
    return Problem("onion-published", OnionNotPublishedText(),
                   Status::Unreachable("serve has not published its onion service"));
  }
  Check check = Ok("onion-published", OnionPublishedText(*address));
  check.facts = {{"address", *address}};
  return check;
}

Check CheckPartnerOnion(const Status& fetched) {
  if (fetched.ok()) return Ok("partner-onion", PartnerOnionReadableText());
  if (fetched.Is(node::LinkReason::kPartnerHasNoOnion) ||
      fetched.Is(node::JournalReason::kNotPaired)) {
    return Skipped("partner-onion", fetched);
  }
  return Problem("partner-onion", Explain(fetched), fetched);
}

void CheckTor(const node::Home& home, Result<node::Journal>& journal, std::vector<Check>& checks) {
  if (!journal.ok()) {
    checks.push_back(Skipped("tor", "needs the journal unlocked"));
    return;
  }
  Result<bool> enabled = journal->TorEnabled();
  if (!enabled.ok()) {
    checks.push_back(Problem("tor", Explain(enabled.status()), enabled.status()));
    return;
  }
  checks.push_back(Ok("tor", *enabled ? TorCheckOnText() : TorCheckOffText()));
  checks.back().facts = {{"tor", *enabled ? "on" : "off"}};
  if (!*enabled) return;  // nothing of Tor is used: nothing to look at
  if (!node::TorInstalled()) {
    const Status missing =
        Status::NotFound("no tor binary").WithReason(node::TorReason::kNotInstalled);
    checks.push_back(Problem("tor-installed", Explain(missing), missing));
    for (const char* name : {"tor-bootstrap", "onion-published", "partner-onion"}) {
      checks.push_back(Skipped(name, "needs tor installed"));
    }
    return;
  }
  checks.push_back(Ok("tor-installed", TorInstalledText()));
  Result<node::TorOptions> options = TorOptionsAskedFor(home);
  if (!options.ok()) {
    checks.push_back(Problem("tor-bootstrap", Explain(options.status()), options.status()));
    return;
  }
  Result<node::TorDiagnosis> diagnosis = node::DiagnoseTor(*journal, *options);
  if (!diagnosis.ok()) {
    checks.push_back(Problem("tor-bootstrap", Explain(diagnosis.status()), diagnosis.status()));
  } else {
    const int64_t bootstrap_ms = diagnosis->bootstrap.count();
    checks.push_back(Ok("tor-bootstrap",
                        TorBootstrappedText(diagnosis->version, bootstrap_ms, diagnosis->serves)));
    checks.back().facts = {{"version", diagnosis->version},
                           {"bootstrap_ms", bootstrap_ms},
                           {"serves_tor", diagnosis->serves}};
  }
  checks.push_back(CheckOnionPublished(home));
  if (diagnosis.ok()) {
    checks.push_back(CheckPartnerOnion(diagnosis->partner_descriptor));
  } else {
    checks.push_back(Skipped("partner-onion", "needs tor running"));
  }
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kProblem:
      return "problem";
    case Verdict::kSkipped:
      return "skipped";
  }
  return "?";
}

void PrintChecks(const std::vector<Check>& checks, bool json) {
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Check& check : checks) {
      nlohmann::json line = {{"check", check.name},
                             {"status", VerdictName(check.verdict)},
                             {"message", check.message}};
      if (check.verdict == Verdict::kProblem) line["exit"] = ExitCodeFor(check.problem);
      if (const std::string reason = ReasonName(check.problem); !reason.empty()) {
        line["reason"] = reason;
      }
      line.update(check.facts);
      out.push_back(std::move(line));
    }
    PrintJson(out);
    return;
  }
  for (const Check& check : checks) {
    std::string verdict = VerdictName(check.verdict);
    verdict.resize(8, ' ');
    std::string name = check.name;
    name.resize(16, ' ');  // the longest name, onion-published, and a space
    std::cout << verdict << name << check.message << ".\n";
  }
}

// The exit status: the first problem's own code (see cli/exit_codes.h), so that a script can
// tell a loosened home (10) from a damaged database (8) or an unreachable partner (13). Its
// sentence on standard error sums up the lines above.
Status FirstProblem(const std::vector<Check>& checks) {
  const Check* first = nullptr;
  int count = 0;
  for (const Check& check : checks) {
    if (check.verdict != Verdict::kProblem) continue;
    if (first == nullptr) first = &check;
    ++count;
  }
  if (first == nullptr) return Status::Ok();
  return first->problem.WithContext(DoctorFoundText(count));
}

}  // namespace

void AddDoctorCommands(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand(
      "doctor", "Check the home, the database, the link to your partner and the serve port");
  sub->add_flag("--json", *json, "Print the checks as a JSON array");
  commands.push_back({sub, [json](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
                        std::vector<Check> checks{CheckHome(home)};
                        if (home.HasJournal()) {
                          checks.push_back(CheckDatabase(home));
                          Result<node::Journal> journal = ctx.OpenJournal();
                          checks.push_back(CheckUnlock(journal));
                          checks.push_back(CheckSeals(journal));
                          CheckLink(home, journal, checks);
                          CheckTor(home, journal, checks);
                        }
                        PrintChecks(checks, *json);
                        return FirstProblem(checks);
                      }});
}

}  // namespace attune::cli
