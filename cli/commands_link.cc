// The link to the partner: pair, partner, unpair, ping, serve.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/console.h"
#include "cli/context.h"
#include "cli/discovery_flags.h"
#include "cli/format.h"
#include "cli/layout.h"
#include "cli/link_messages.h"
#include "cli/messages.h"
#include "cli/notify_messages.h"
#include "cli/sharing_messages.h"
#include "cli/tor_flags.h"
#include "cli/tor_messages.h"
#include "cli/ui_messages.h"
#include "node/journal_reason.h"
#include "node/link.h"
#include "node/secret.h"
#include "node/ui.h"

namespace attune::cli {
namespace {

// What both sides print once paired.
void PrintPaired(const node::PairingResult& result, bool json) {
  if (json) {
    std::cout << nlohmann::json{{"paired", true},
                                {"partner", result.partner.display_name},
                                {"partner_fingerprint", result.partner_fingerprint},
                                {"safety_number", result.safety_number}}
                     .dump()
              << std::endl;
    return;
  }
  std::cout << "You are paired with " << result.partner.display_name << ".\n\n"
            << "Safety number:\n  " << result.safety_number << "\n\n"
            << Paragraph(SafetyNumberAdviceText() + " `attune partner` shows it again. " +
                             PairingSharedNothingText(),
                         80, "", "");
}

struct PairArgs {
  std::optional<std::string> listen;
  std::optional<std::string> join;
  std::optional<std::string> to;
  std::optional<uint16_t> serve_port;
  bool onion = false;
  bool json = false;
  DiscoveryFlags discovery;
};

Status CheckPairArgs(const PairArgs& args) {
  if (args.to && !args.join) {
    return Status::InvalidArgument("--to ADDRESS is for the one who joins, with --join CODE");
  }
  if (args.join && args.listen) {
    return Status::InvalidArgument("--listen is for the one who shows the code, not --join");
  }
  if (args.onion && args.join) {
    return Status::InvalidArgument(
        "--onion is for the one who shows the code; to join at a distance, use --to with the "
        "onion address your partner sent you");
  }
  if (args.onion && args.listen) {
    return Status::InvalidArgument(
        "--onion and --listen: an invitation through Tor listens on this machine only, for tor");
  }
  return Status::Ok();
}

// Pairing through Tor turns Tor on for the journal: the person asked for it by name.
Status TurnTorOnAfterPairing(node::Journal& journal) {
  ATTUNE_ASSIGN_OR_RETURN(bool enabled, journal.TorEnabled());
  if (enabled) return Status::Ok();
  ATTUNE_RETURN_IF_ERROR(journal.SetTorEnabled(true));
  std::cerr << TorTurnedOnByPairingText();
  return Status::Ok();
}

Status Join(Context& ctx, node::Journal& journal, PairArgs& args) {
  const node::DiscoveryOptions discovery = DiscoveryOptionsFrom(args.discovery);
  std::optional<node::Endpoint> inviter;
  std::optional<node::TorOptions> tor;
  if (args.to) {
    ATTUNE_ASSIGN_OR_RETURN(inviter, node::ParseEndpoint(*args.to, node::kDefaultPairPort));
    if (node::IsOnionHost(inviter->host)) {
      ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
      ATTUNE_ASSIGN_OR_RETURN(tor, TorOptionsAskedFor(home));
    }
  }
  if (*args.join == "-") {
    ATTUNE_ASSIGN_OR_RETURN(*args.join, ReadAllStdin());
  }
  Result<node::PairingResult> joined =
      node::JoinPartner(journal, *args.join, inviter, node::LinkTimeouts(), discovery, tor);
  node::WipeString(*args.join);  // the code is a secret until it is used
  ATTUNE_ASSIGN_OR_RETURN(node::PairingResult result, std::move(joined));
  PrintPaired(result, args.json);
  if (tor) return TurnTorOnAfterPairing(journal);
  return Status::Ok();
}

// The offer's first line (scripts and people read it at once), then how to use it.
void PrintOffer(const node::PairingOffer& offer, bool json, bool announced, bool onion) {
  if (json) {
    std::cout << nlohmann::json{{"code", offer.code}, {"address", offer.address}}.dump();
  } else {
    std::cout << "Pairing code: " << offer.code << "   address: " << offer.address;
  }
  std::cout << std::endl;  // flushed
  if (onion) {
    std::cerr << OnionInvitationText(offer.code, offer.address);
  } else if (announced) {
    std::cerr << "Give your partner the code; on their machine, on this network, they run\n"
              << "  attune pair --join " << offer.code << "\n"
              << "(from elsewhere, through a tunnel: add --to " << offer.address << ")\n";
  } else {
    std::cerr << "Give your partner the code and the address; on their machine they run\n"
              << "  attune pair --join " << offer.code << " --to " << offer.address << "\n";
  }
  std::cerr << "Waiting up to 10 minutes. The code works once.\n";
}

Status Invite(Context& ctx, node::Journal& journal, const PairArgs& args) {
  node::InviteOptions options;
  options.discovery = DiscoveryOptionsFrom(args.discovery);
  if (args.listen) {
    ATTUNE_ASSIGN_OR_RETURN(options.listen,
                            node::ParseEndpoint(*args.listen, node::kDefaultPairPort));
  }
  if (args.onion) {
    ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
    ATTUNE_ASSIGN_OR_RETURN(options.tor, TorOptionsAskedFor(home));
    std::cerr << PublishingInvitationText();
  }
  options.on_ready = [json = args.json, announced = options.discovery.enabled && !args.onion,
                      onion = args.onion](const node::PairingOffer& offer) {
    PrintOffer(offer, json, announced, onion);
  };
  ATTUNE_ASSIGN_OR_RETURN(node::PairingResult result, node::InvitePartner(journal, options));
  PrintPaired(result, args.json);
  if (args.onion) return TurnTorOnAfterPairing(journal);
  return Status::Ok();
}

void AddPair(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<PairArgs>();
  auto* sub = app.add_subcommand(
      "pair", "Pair with your partner using a one-time code (one partner per journal)");
  sub->add_option("--listen", args->listen,
                  "Where to wait for your partner, HOST:PORT (default 0.0.0.0:" +
                      std::to_string(node::kDefaultPairPort) + ")");
  sub->add_flag("--onion", args->onion,
                "Pair at a distance through Tor: show the code and an onion address once tor has "
                "published it, for your partner's --to (this turns Tor on for your journal)");
  sub->add_option("--join", args->join,
                  "Join with the code your partner's attune showed (`-`: read it from standard "
                  "input, so other users of this machine cannot see it in the process list)");
  sub->add_option("--to", args->to,
                  "With --join: the address your partner's attune showed, HOST:PORT or "
                  "X.onion:PORT (default: find it on this network by the code's number)");
  sub->add_option("--serve-port", args->serve_port,
                  "The port your `attune serve` will listen on, told to your partner (default " +
                      std::to_string(node::kDefaultServePort) + ")")
      ->check(CLI::Range(1, 65535));
  sub->add_flag("--json", args->json, "Print JSON lines instead of text");
  AddDiscoveryFlags(*sub, args->discovery);
  sub->footer(
      "One of you runs `attune pair`: it prints a code and an address, announces itself on the "
      "local network and waits up to 10 minutes. The other runs `attune pair --join CODE` on "
      "the same network (or, from elsewhere, through a tunnel: `--to ADDRESS`). Living apart: "
      "`attune pair --onion` prints an onion address to send by any messenger, and the other "
      "joins with `--to X.onion:PORT`; read the code out on a call. A wrong code fails on both "
      "sides and uses the code up; start again for a new one.");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        ATTUNE_RETURN_IF_ERROR(CheckPairArgs(*args));
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        if (args->serve_port) {
                          ATTUNE_RETURN_IF_ERROR(journal.SetServePort(*args->serve_port));
                        }
                        if (args->join) return Join(ctx, journal, *args);
                        return Invite(ctx, journal, *args);
                      }});
}

void AddPartner(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("partner", "Show who you are paired with");
  sub->add_flag("--json", *json, "Print JSON");
  commands.push_back(
      {sub, [json](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::Partner> partner, journal.GetPartner());
         ATTUNE_ASSIGN_OR_RETURN(const auto own_key, journal.LinkPublicKey());
         if (!partner) {
           if (*json) {
             std::cout << nlohmann::json{{"partner", nullptr},
                                         {"own_fingerprint", node::KeyFingerprint(own_key)}}
                              .dump()
                       << "\n";
           } else {
             std::cout << "You are not paired yet. When you are both ready, one of you runs "
                          "`attune pair`.\n";
           }
           return Status::Ok();
         }
         const std::string safety = node::PairSafetyNumber(own_key, partner->public_key);
         const std::string contact =
             partner->last_contact ? node::FormatRfc3339(*partner->last_contact) : "";
         // Where each node is reached through Tor (issue 17), whether or not Tor is on.
         ATTUNE_ASSIGN_OR_RETURN(const node::OnionContact own_onion, journal.OwnOnionContact());
         const std::string own_onion_address = own_onion.address + ".onion";
         const std::string partner_onion_address =
             partner->onion ? partner->onion->address + ".onion" : "";
         if (*json) {
           nlohmann::json out = {
               {"partner", partner->display_name},
               {"fingerprint", node::KeyFingerprint(partner->public_key)},
               {"own_fingerprint", node::KeyFingerprint(own_key)},
               {"safety_number", safety},
               {"paired_at", node::FormatRfc3339(partner->paired_at)},
               {"last_address", partner->last_address},
               {"last_contact", contact.empty() ? nlohmann::json() : nlohmann::json(contact)},
               {"onion_address", own_onion_address},
               {"partner_onion_address", partner_onion_address.empty()
                                             ? nlohmann::json()
                                             : nlohmann::json(partner_onion_address)}};
           std::cout << out.dump() << "\n";
           return Status::Ok();
         }
         std::cout << "Partner:        " << partner->display_name << "\n"
                   << "Fingerprint:    " << node::KeyFingerprint(partner->public_key) << "\n"
                   << "Yours:          " << node::KeyFingerprint(own_key) << "\n"
                   << "Safety number:  " << safety << "\n"
                   << "Paired:         " << node::FormatRfc3339(partner->paired_at) << "\n"
                   << "Last address:   "
                   << (partner->last_address.empty() ? NoLastAddressText() : partner->last_address)
                   << "\n"
                   << "Last contact:   " << (contact.empty() ? "not yet" : contact) << "\n"
                   << "Your onion:     " << own_onion_address << "\n"
                   << "Their onion:    "
                   << (partner_onion_address.empty() ? PartnerOnionUnknownText()
                                                     : partner_onion_address)
                   << "\n";
         return Status::Ok();
       }});
}

void AddUnpair(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    bool yes = false, keep = false, remove = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("unpair", "Forget your partner (you can pair again later)");
  auto* keep = sub->add_flag("--keep", args->keep,
                             "Keep what your partner shared, read-only, as a former partner's");
  sub->add_flag("--delete", args->remove, "Delete what your partner shared")->excludes(keep);
  sub->add_flag("--yes,-y", args->yes, "Do not ask for confirmation");
  sub->footer(
      "Your own entries stay; the ones you had shared become private again, so nothing reaches "
      "a future partner unless you share it anew. Your former partner's attune keeps what it "
      "already received: no software can make another person's copy forget.");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::Partner> partner, journal.GetPartner());
         if (!partner)
           return Status::NotFound("you are not paired with anyone")
               .WithReason(node::JournalReason::kNotPaired);
         const std::string& name = partner->display_name;
         bool keep_entries = args->keep;
         if (!args->keep && !args->remove) {
           if (!StdinIsTty()) {
             return Status::InvalidArgument("say what happens to " + name +
                                            "'s shared entries: --keep or --delete");
           }
           std::optional<std::string> answer =
               PromptLine("Keep " + name +
                          "'s shared entries as a read-only memory, or delete them? "
                          "[keep/delete] ");
           if (!answer) return Status::Cancelled("no answer");
           if (*answer == "keep") {
             keep_entries = true;
           } else if (*answer != "delete") {
             return Status::Cancelled("nothing changed");
           }
         }
         ATTUNE_RETURN_IF_ERROR(Confirm(
             "Forget " + name + " as your partner? Your own entries stay as they are.", args->yes));
         ATTUNE_ASSIGN_OR_RETURN(int64_t unshared, journal.Unpair(keep_entries));
         std::cout << UnpairedText(unshared, keep_entries, name);
         return Status::Ok();
       }});
}

void AddPing(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::optional<std::string> to;
    bool json = false;
    DiscoveryFlags discovery;
    TorFlags tor;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("ping", "Check the encrypted link to your partner's attune");
  sub->add_option("--to", args->to,
                  "HOST:PORT of your partner's `attune serve` (default: the last address that "
                  "worked, else found on this network)");
  sub->add_flag("--json", args->json, "Print JSON");
  AddDiscoveryFlags(*sub, args->discovery);
  AddTorFlags(*sub, args->tor, /*with_via=*/true);
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(const Path path, PathFrom(args->to, args->tor));
         const std::optional<node::Endpoint>& to = path.to;
         const Via via = path.via;
         ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::TorOptions> tor,
                                 TorOptionsFor(home, journal, args->tor));
         ATTUNE_ASSIGN_OR_RETURN(
             node::PingResult result,
             ReachBy<node::PingResult>(
                 via, tor,
                 [&] {
                   return node::PingPartner(journal, to, node::LinkTimeouts{},
                                            DiscoveryOptionsFrom(args->discovery));
                 },
                 [&](const node::TorOptions& options) {
                   return node::PingPartnerThroughTor(journal, node::LinkTimeouts{}, options);
                 }));
         if (args->json) {
           std::cout << nlohmann::json{{"address", result.address},
                                       {"connect_us", result.connect.count()},
                                       {"handshake_us", result.handshake.count()},
                                       {"round_trip_us", result.round_trip.count()}}
                            .dump()
                     << "\n";
         } else {
           std::cout << PingText(result.address, result.handshake, result.round_trip);
         }
         return Status::Ok();
       }});
}

void AddServe(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::optional<std::string> listen;
    int handshake_timeout = 15;
    int idle_timeout = 60;
    bool json = false;
    DiscoveryFlags discovery;
    TorFlags tor;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "serve", "Stay running and accept your partner's connections (Ctrl-C stops)");
  sub->add_option("--listen", args->listen,
                  "HOST:PORT to listen on (default 0.0.0.0 and the serve port told to your "
                  "partner when pairing)");
  sub->add_option("--handshake-timeout", args->handshake_timeout,
                  "Seconds a connection may take to prove it is your partner (default 15)")
      ->check(CLI::Range(1, 600));
  sub->add_option("--idle-timeout", args->idle_timeout,
                  "Seconds of silence before a session is closed (default 60)")
      ->check(CLI::Range(1, 86400));
  sub->add_flag("--json", args->json,
                "Print each event as a JSON line (\"event\", and its facts) instead of text");
  AddDiscoveryFlags(*sub, args->discovery);
  AddTorFlags(*sub, args->tor, /*with_via=*/false);
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         // One serve per home, and none beside a re-key: held until serve ends.
         ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::HomeLock> lock, LockHomeForNode(home));
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         node::ServeOptions options;
         ATTUNE_ASSIGN_OR_RETURN(uint16_t port, journal.ServePort());
         options.listen = node::Endpoint{"0.0.0.0", port};
         if (args->listen) {
           ATTUNE_ASSIGN_OR_RETURN(options.listen, node::ParseEndpoint(*args->listen, port));
         }
         ATTUNE_ASSIGN_OR_RETURN(options.tor, TorOptionsFor(home, journal, args->tor));
         if (options.tor) options.tor->on_progress = nullptr;  // serve reports it as events
         options.timeouts.handshake = std::chrono::seconds(args->handshake_timeout);
         options.timeouts.idle = std::chrono::seconds(args->idle_timeout);
         options.discovery = DiscoveryOptionsFrom(args->discovery);
         options.word_notice = NewsNoticeWords;  // as `attune notify` chose; never content
         // serve opens the browser page for `attune ui` on this home (one node per home).
         ATTUNE_ASSIGN_OR_RETURN(node::Journal spare, journal.OpenAnother());
         node::WakeSignal page_wrote;
         options.journal_written = &page_wrote;
         node::UiOptions page_options = PageOptions(ctx.page_wording_json);
         ATTUNE_ASSIGN_OR_RETURN(const int idle_minutes, journal.UiIdleLockMinutes());
         page_options.idle_lock = std::chrono::minutes(idle_minutes);
         page_options.on_journal_written = [&page_wrote] { page_wrote.Wake(); };
         Result<std::unique_ptr<node::UiHost>> host =
             node::UiHost::Start(home, std::move(spare), std::move(page_options));
         node::UiHost* page_host = host.ok() ? host->get() : nullptr;
         ReportServeEvents(options, args->json, [page_host](const node::ServeEvent& event) {
           if (page_host) page_host->Publish(event);
         });
         return node::Serve(journal, options);
       }});
}

}  // namespace

void AddLinkCommands(CLI::App& app, std::vector<Command>& commands) {
  AddPair(app, commands);
  AddPartner(app, commands);
  AddUnpair(app, commands);
  AddPing(app, commands);
  AddServe(app, commands);
}

}  // namespace attune::cli
