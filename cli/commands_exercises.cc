// Doing the steps together: `attune together ask|answer|withdraw|exercises` (node/exercises.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/context.h"
#include "cli/exercise_messages.h"
#include "cli/format.h"
#include "cli/text_input.h"
#include "node/exercises.h"

namespace attune::cli {
namespace {

struct ExerciseArgs {
  std::string id;
  std::optional<std::string> text;
  bool json = false;
};

void PrintExerciseDone(const node::ExerciseView& view, bool json, const std::string& said) {
  if (json) {
    PrintJson(node::ExerciseToJson(view));
  } else {
    std::cout << said;
  }
}

void AddExerciseAsk(CLI::App& together, std::vector<Command>& commands) {
  auto args = std::make_shared<ExerciseArgs>();
  auto* sub = together.add_subcommand(
      "ask",
      "Start an exercise with your partner: you both answer, and see each other's answer "
      "only once both have");
  sub->add_option("exercise", args->id, "Which exercise (without it: the list)");
  sub->add_flag("--json", args->json, "Print the exercise as JSON");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        if (args->id.empty()) {
                          std::cout << ExerciseMenuText();
                          return Status::Ok();
                        }
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        ATTUNE_ASSIGN_OR_RETURN(node::ExerciseView view,
                                                node::Exercises(journal).Ask(args->id));
                        ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
                        PrintExerciseDone(view, args->json, AskedText(view, partner));
                        return Status::Ok();
                      }});
}

void AddExerciseAnswer(CLI::App& together, std::vector<Command>& commands) {
  auto args = std::make_shared<ExerciseArgs>();
  auto* sub = together.add_subcommand(
      "answer",
      "Answer an exercise; your answer is sealed and travels only once your partner "
      "has answered too");
  sub->add_option("id", args->id, "The exercise's id (or a unique prefix)")->required();
  sub->add_option("text", args->text,
                  "Your answer. Without it, reads standard input or opens your editor");
  sub->add_flag("--json", args->json, "Print the exercise as JSON");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        node::Exercises exercises(journal);
                        ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
                        // Resolved once, before any text is asked for: an unknown or
                        // ambiguous id fails without opening the editor.
                        ATTUNE_ASSIGN_OR_RETURN(const node::ExerciseView found,
                                                exercises.Find(args->id));
                        ATTUNE_ASSIGN_OR_RETURN(
                            std::string text, EntryText(args->text, AnswerPrompt(found, partner)));
                        ATTUNE_ASSIGN_OR_RETURN(node::ExerciseView view,
                                                exercises.Answer(found.id, std::move(text)));
                        PrintExerciseDone(view, args->json, AnsweredText(view, partner));
                        return Status::Ok();
                      }});
}

void AddExerciseWithdraw(CLI::App& together, std::vector<Command>& commands) {
  auto args = std::make_shared<ExerciseArgs>();
  auto* sub = together.add_subcommand(
      "withdraw", "Withdraw an exercise you started, before you have both answered");
  sub->add_option("id", args->id, "The exercise's id (or a unique prefix)")->required();
  sub->add_flag("--json", args->json, "Print the exercise as JSON");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        ATTUNE_ASSIGN_OR_RETURN(node::ExerciseView view,
                                                node::Exercises(journal).Withdraw(args->id));
                        PrintExerciseDone(view, args->json, WithdrawnText());
                        return Status::Ok();
                      }});
}

void AddExerciseList(CLI::App& together, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = together.add_subcommand("exercises", "The exercises you two have started");
  sub->add_flag("--json", *json, "Print as a JSON array");
  commands.push_back({sub, [json](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        ATTUNE_ASSIGN_OR_RETURN(std::vector<node::ExerciseView> all,
                                                node::Exercises(journal).List());
                        if (*json) {
                          nlohmann::json out = nlohmann::json::array();
                          for (const node::ExerciseView& view : all) {
                            out.push_back(node::ExerciseToJson(view));
                          }
                          PrintJson(out);
                          return Status::Ok();
                        }
                        ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
                        if (all.empty()) std::cout << ExerciseMenuText();
                        for (const node::ExerciseView& view : all) {
                          std::cout << ExerciseBlock(view, partner);
                        }
                        ATTUNE_ASSIGN_OR_RETURN(node::PartnerSoftware seen,
                                                node::Exercises(journal).Partner());
                        std::cout << PartnerSoftwareText(seen, partner);
                        return Status::Ok();
                      }});
}

}  // namespace

void AddExerciseCommands(CLI::App& together, std::vector<Command>& commands) {
  AddExerciseAsk(together, commands);
  AddExerciseAnswer(together, commands);
  AddExerciseWithdraw(together, commands);
  AddExerciseList(together, commands);
}

}  // namespace attune::cli
