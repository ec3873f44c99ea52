#include "cli/passphrase.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "cli/console.h"
#include "cli/keeping_messages.h"
#include "cli/messages.h"

namespace attune::cli {

struct EnvironmentPassphrases::Values {
  std::optional<node::Secret> passphrase;      // ATTUNE_PASSPHRASE
  std::optional<node::Secret> new_passphrase;  // ATTUNE_NEW_PASSPHRASE
};

namespace {

constexpr size_t kMaxPassphraseBytes = 1024;
constexpr const char* kPassphraseVariable = "ATTUNE_PASSPHRASE";
constexpr const char* kNewPassphraseVariable = "ATTUNE_NEW_PASSPHRASE";

// The values of the EnvironmentPassphrases alive now; null before and after.
const EnvironmentPassphrases::Values* current_values = nullptr;

// Removes `name` from the environment and returns the value getenv() would have given (the
// first of any duplicates). Every "NAME=value" string is overwritten in place: unsetenv() only
// drops the pointers, and the strings of the environment attune was started with are the very
// bytes /proc/PID/environ shows.
std::optional<node::Secret> TakeVariable(const char* name) {
  const size_t prefix = std::strlen(name) + 1;
  std::vector<char*> found;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, name, prefix - 1) == 0 && (*entry)[prefix - 1] == '=') {
      found.push_back(*entry);
    }
  }
  if (found.empty()) return std::nullopt;
  node::Secret value = node::Secret::CopyOf(AsBytes(found.front() + prefix));
  ::unsetenv(name);
  for (char* entry : found) ::explicit_bzero(entry, std::strlen(entry));
  return value;
}

// The taken value of `env_var`, or null if it was unset or empty.
const node::Secret* TakenValue(const char* env_var) {
  if (current_values == nullptr) return nullptr;
  const std::optional<node::Secret>& value = std::strcmp(env_var, kNewPassphraseVariable) == 0
                                                 ? current_values->new_passphrase
                                                 : current_values->passphrase;
  return value && !value->empty() ? &*value : nullptr;
}

Result<node::Secret> Checked(std::string& text) {
  if (text.empty()) return Status::InvalidArgument("the passphrase is empty");
  if (text.size() > kMaxPassphraseBytes) {
    return Status::InvalidArgument("the passphrase is longer than 1024 bytes");
  }
  return node::TakeSecret(text);
}

// A passphrase kept in a file is only as private as the file. Like ssh with a private key,
// attune will not use one that group or others may read: someone may already have read it.
// Pipes and terminals (`--passphrase-file <(pass show attune)`) hold nothing at rest and pass.
Status RequirePrivateFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return Status::Ok();
  if ((info.st_mode & 077) == 0) return Status::Ok();
  return PassphraseFileOpen(path, static_cast<unsigned>(info.st_mode));
}

Result<node::Secret> FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("the passphrase file " + path).WithReason(CliReason::kCannotOpenFile);
  }
  ATTUNE_RETURN_IF_ERROR(RequirePrivateFile(path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // One trailing newline is how editors and `echo` end a file, not part of the passphrase.
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return Checked(text);
}

std::optional<Result<node::Secret>> FromEnvironmentOrFile(const char* env_var,
                                                          const std::optional<std::string>& file) {
  if (const node::Secret* value = TakenValue(env_var)) {
    if (value->size() > kMaxPassphraseBytes) {
      return Status::InvalidArgument("the passphrase is longer than 1024 bytes");
    }
    return node::Secret::CopyOf(value->span());
  }
  if (file) return FromFile(*file);
  return std::nullopt;
}

Status NoTerminal() {
  return Status::InvalidArgument(
             "no passphrase: set ATTUNE_PASSPHRASE, pass --passphrase-file FILE, or run in a "
             "terminal")
      .WithReason(CliReason::kNeedsPassphrase);
}

Result<node::Secret> Ask(std::string_view prompt) {
  std::optional<std::string> line = PromptLine(prompt, /*echo_off=*/true);
  if (!line) return NoTerminal();
  return Checked(*line);
}

}  // namespace

EnvironmentPassphrases::EnvironmentPassphrases()
    : values_(std::make_unique<Values>(
          Values{TakeVariable(kPassphraseVariable), TakeVariable(kNewPassphraseVariable)})) {
  current_values = values_.get();
}

EnvironmentPassphrases::~EnvironmentPassphrases() {
  current_values = nullptr;
}

node::PassphraseSource ExistingPassphrase(std::optional<std::string> file, std::string prompt) {
  return [file, prompt]() -> Result<node::Secret> {
    if (auto given = FromEnvironmentOrFile(kPassphraseVariable, file)) return std::move(*given);
    if (!StdinIsTty()) return NoTerminal();
    return Ask(prompt);
  };
}

bool PassphraseIsTyped(const std::optional<std::string>& file) {
  return TakenValue(kPassphraseVariable) == nullptr && !file && StdinIsTty();
}

namespace {

node::PassphraseStrength Strength(const node::Secret& passphrase,
                                  const NewPassphrasePrompts& prompts) {
  return node::EstimatePassphraseStrength(passphrase, prompts.personal_words);
}

}  // namespace

node::PassphraseSource NewPassphrase(const char* env_var, std::optional<std::string> file,
                                     NewPassphrasePrompts prompts) {
  return [env_var, file, prompts]() -> Result<node::Secret> {
    if (auto given = FromEnvironmentOrFile(env_var, file)) {
      if (given->ok()) {
        const node::PassphraseStrength strength = Strength(**given, prompts);
        if (strength.weak()) std::cerr << "attune: note: " << WeakPassphraseText(strength) << "\n";
      }
      return std::move(*given);
    }
    if (!StdinIsTty()) return NoTerminal();
    bool differed = false;
    for (int attempt = 1;; ++attempt) {
      ATTUNE_ASSIGN_OR_RETURN(node::Secret first, Ask(prompts.first));
      ATTUNE_ASSIGN_OR_RETURN(node::Secret second, Ask(prompts.again));
      differed = !first.ConstantTimeEquals(second);
      if (!differed) {
        const node::PassphraseStrength strength = Strength(first, prompts);
        if (!strength.weak()) return first;
        std::cerr << WeakPassphraseText(strength) << "\n";
        Status chosen = Confirm("Use this passphrase anyway?", false);
        if (chosen.ok()) return first;
        if (attempt == kPassphraseTries) return chosen;
        std::cerr << "Choose another, then.\n";
        continue;
      }
      if (attempt == kPassphraseTries) break;
      std::cerr << "The two differ; once more, please.\n";
    }
    return Status::InvalidArgument("the two passphrases differed " +
                                   std::to_string(kPassphraseTries) +
                                   " times; nothing was changed");
  };
}

}  // namespace attune::cli
