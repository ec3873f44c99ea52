// Reflection: quiz, style, steps, step, themes.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <sstream>

#include "base/text_util.h"
#include "cli/console.h"
#include "cli/context.h"
#include "cli/format.h"
#include "cli/layout.h"
#include "cli/reflection_messages.h"
#include "cli/steps_view.h"
#include "node/style_result.h"
#include "steps/quiz.h"
#include "steps/steps_guide.h"

namespace attune::cli {
namespace {

constexpr int kChartWidth = 41;
constexpr int kChartHeight = 15;

// Item by item, each wrapped to the terminal at spaces (a word is never split across lines).
Result<std::vector<int>> AskOnTerminal() {
  const auto width = static_cast<size_t>(TerminalWidth());
  std::cerr << Paragraph(steps::AnswerScaleDescription(), width, "", "") << "\n";
  std::vector<int> answers;
  for (const steps::QuizItem& item : steps::QuizItems()) {
    for (;;) {
      const std::string number =
          std::to_string(item.number) + "/" + std::to_string(steps::kQuizItemCount) + ". ";
      std::cerr << Paragraph(item.text, width, number, std::string(number.size(), ' '));
      std::optional<std::string> line = PromptLine("   your answer (1-7): ");
      if (!line) return Status::Cancelled("the quiz was stopped before the end");
      if (std::optional<int> answer = ParseQuizAnswer(*line)) {
        answers.push_back(*answer);
        break;
      }
      std::cerr << Paragraph(
          "Please type a whole number from 1 (strongly disagree) to 7 (strongly agree).", width,
          "   ", "   ");
    }
  }
  return answers;
}

nlohmann::json ScoreJson(const steps::QuizScore& score) {
  nlohmann::json out = node::QuizScoreToJson(score);
  out["description"] = steps::DescribeBlend(score);
  return out;
}

std::string Chart(const steps::QuizScore& score) {
  return steps::RenderChart({{score.anxiety, score.avoidance, '*', "you"}}, kChartWidth,
                            kChartHeight);
}

// The latest style result the partner shared, if any (an entry whose fields are not a quiz
// result is skipped rather than failing the whole command: it is the partner's data).
Result<std::optional<std::pair<node::Entry, steps::QuizScore>>> PartnerStyle(
    node::Journal& journal) {
  using Found = std::optional<std::pair<node::Entry, steps::QuizScore>>;
  ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> shared,
                          journal.List({.kind = "style", .author = node::Author::kPartner}));
  for (auto it = shared.rbegin(); it != shared.rend(); ++it) {
    Result<steps::QuizScore> score = node::QuizScoreFromJson(it->fields);
    if (score.ok()) return Found(std::make_pair(*it, *score));
  }
  return Found();
}

void PrintScore(const steps::QuizScore& score) {
  std::cout << ScoreText(score, Chart(score));
}

void AddQuiz(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand(
      "quiz",
      "Step 1: a gentle self-assessment of attachment anxiety and avoidance. On a "
      "terminal it asks item by item; otherwise it reads one answer (1-7) per line");
  sub->add_flag("--json", *json, "Print the result as JSON");
  commands.push_back({sub, [json](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        std::vector<int> answers;
                        if (StdinIsTty()) {
                          ATTUNE_ASSIGN_OR_RETURN(answers, AskOnTerminal());
                        } else {
                          ATTUNE_ASSIGN_OR_RETURN(std::string input, ReadAllStdin());
                          ATTUNE_ASSIGN_OR_RETURN(answers, ReadQuizAnswers(input));
                        }
                        ATTUNE_ASSIGN_OR_RETURN(steps::QuizScore score, steps::ScoreQuiz(answers));
                        ATTUNE_ASSIGN_OR_RETURN(node::Entry entry,
                                                journal.RecordQuiz(score, answers));
                        if (*json) {
                          nlohmann::json out = ScoreJson(score);
                          out["id"] = entry.id;
                          PrintJson(out);
                        } else {
                          PrintScore(score);
                        }
                        return Status::Ok();
                      }});
}

// `style --json` with no result: still an object, so scripts can read `.id` either way (a
// result's entry id, or null) without first checking for a bare null. Not an error: exit 0.
nlohmann::json NoStyleJson() {
  return {{"id", nullptr}, {"message", NoStyleYetText()}};
}

void AddStyle(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    bool history = false, json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("style", "Show your latest style result, or all of them");
  sub->add_flag("--history", args->history, "Every result over time: a style can change");
  sub->add_flag("--json", args->json,
                "Print as JSON: one object (its id null if there is no result yet), or with "
                "--history an array");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         node::ListFilter filter;
         filter.kind = "style";
         ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> results, journal.List(filter));
         // A style entry written as text before attune refused that has no scores to show: it
         // stays in the journal (`attune show ID`), and is left out here.
         const size_t written_as_text = std::erase_if(results, [](const node::Entry& entry) {
           return !node::QuizScoreFromJson(entry.fields).ok();
         });
         if (written_as_text > 0 && !args->json) {
           std::cerr << StyleWrittenAsTextNote(written_as_text) << "\n";
         }
         if (!args->history && results.size() > 1)
           results.erase(results.begin(), results.end() - 1);
         nlohmann::json list = nlohmann::json::array();
         for (const node::Entry& entry : results) {
           ATTUNE_ASSIGN_OR_RETURN(steps::QuizScore score, node::QuizScoreFromJson(entry.fields));
           nlohmann::json item = ScoreJson(score);
           item["id"] = entry.id;
           item["created"] = node::FormatRfc3339(entry.created);
           list.push_back(std::move(item));
           if (!args->json) {
             std::cout << LocalTime(entry.created) << "  " << steps::DescribeBlend(score) << "\n";
           }
         }
         ATTUNE_ASSIGN_OR_RETURN(auto partner, PartnerStyle(journal));
         ATTUNE_ASSIGN_OR_RETURN(std::string partner_name, journal.PartnerName());
         if (args->json) {
           nlohmann::json out = args->history ? list : (list.empty() ? NoStyleJson() : list.back());
           if (!args->history && partner) {
             out["partner"] = ScoreJson(partner->second);
             out["partner"]["id"] = partner->first.id;
             out["partner"]["created"] = node::FormatRfc3339(partner->first.created);
           }
           PrintJson(out);
           return Status::Ok();
         }
         if (results.empty() && !partner) {
           std::cout << NoStyleYetText() << "\n";
           return Status::Ok();
         }
         std::vector<steps::ChartPoint> points;
         if (!results.empty()) {
           ATTUNE_ASSIGN_OR_RETURN(steps::QuizScore latest,
                                   node::QuizScoreFromJson(results.back().fields));
           points.push_back({latest.anxiety, latest.avoidance, '*', "you"});
           if (!args->history) {
             std::cout << "\n" << BlendMeaningText(latest, static_cast<size_t>(TerminalWidth()));
           }
         } else {
           std::cout << NoStyleYetText() << "\n";
         }
         if (partner) {
           std::cout << PartnerStyleChartLine(partner_name, steps::DescribeBlend(partner->second))
                     << "\n";
           points.push_back(
               {partner->second.anxiety, partner->second.avoidance, 'o', partner_name});
         }
         std::cout << "\n"
                   << steps::RenderChart(points, kChartWidth, kChartHeight) << "\n"
                   << steps::QuizDisclaimer() << "\n";
         return Status::Ok();
       }});
}

void AddSteps(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("steps", "The nine steps and how far you have come in each");
  sub->add_flag("--json", *json, "Print as JSON");
  commands.push_back(
      {sub, [json](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(auto counts, journal.CountByKind());
         const std::vector<steps::StepProgress> progress = steps::ComputeProgress(counts);
         const std::optional<int> next = steps::SuggestedNextStep(progress);
         ATTUNE_ASSIGN_OR_RETURN(auto partner, PartnerStyle(journal));
         ATTUNE_ASSIGN_OR_RETURN(std::string partner_name, journal.PartnerName());
         // Where the partner is, as far as what they shared shows it.
         std::optional<PartnerProgress> theirs;
         size_t news = 0;  // what arrived from the partner since the last look
         ATTUNE_ASSIGN_OR_RETURN(const std::optional<node::Partner> paired, journal.GetPartner());
         if (paired) {
           ATTUNE_ASSIGN_OR_RETURN(auto their_counts, journal.CountPartnerByKind());
           theirs = PartnerProgress{partner_name, steps::ComputeProgress(their_counts)};
           ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> their_entries,
                                   journal.List({.author = node::Author::kPartner}));
           ATTUNE_ASSIGN_OR_RETURN(const auto fresh, journal.PartnerNews(their_entries));
           news = fresh.size();
         }
         if (*json) {
           nlohmann::json list = nlohmann::json::array();
           for (const steps::StepProgress& step : progress) {
             list.push_back({{"step", step.step},
                             {"title", steps::AllSteps()[step.step - 1].title},
                             {"summary", step.summary},
                             {"started", step.started},
                             {"complete", step.complete},
                             {"next_action", SuggestedCommand(step.next_kind)}});
           }
           nlohmann::json out = {{"steps", list},
                                 {"suggested_step", next ? nlohmann::json(*next) : nullptr}};
           out["partner_style"] =
               partner ? nlohmann::json(steps::DescribeBlend(partner->second)) : nlohmann::json();
           out["partner_news"] = news;
           out["partner_steps"] = nullptr;
           if (theirs) {
             out["partner_steps"] = nlohmann::json::array();
             for (const steps::StepProgress& step : theirs->steps) {
               out["partner_steps"].push_back({{"step", step.step},
                                               {"summary", step.summary},
                                               {"started", step.started},
                                               {"complete", step.complete}});
             }
           }
           PrintJson(out);
           return Status::Ok();
         }
         std::cout << Paragraph(steps::StepsPreamble(), TerminalWidth(), "", "") << "\n";
         const std::string partner_line =
             partner ? PartnerStyleLine(partner_name, steps::DescribeBlend(partner->second)) : "";
         PrintStepsTable(progress, partner_line, theirs);
         if (news > 0) std::cout << "\n" << PartnerNewsLine(partner_name, news) << "\n";
         if (next) PrintNextStep(progress[*next - 1]);
         return Status::Ok();
       }});
}

void AddStep(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    int number = 0;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("step", "Guidance and journaling prompts for one step");
  sub->add_option("n", args->number, "The step, 1 to 9")->required();
  sub->add_flag("--json", args->json, "Print the guidance, prompts and kinds as JSON");
  commands.push_back({sub, [args](Context&) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(const steps::StepGuide* step,
                                                steps::FindStep(args->number));
                        if (args->json) {
                          PrintJson(StepJson(*step));
                        } else {
                          PrintStep(*step);
                        }
                        return Status::Ok();
                      }});
}

void AddThemes(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub =
      app.add_subcommand("themes", "Step 5: the tags and words that recur across your triggers");
  sub->add_flag("--json", *json, "Print as JSON");
  commands.push_back({sub, [json](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        ATTUNE_ASSIGN_OR_RETURN(steps::Themes themes, journal.TriggerThemes());
                        if (*json) {
                          PrintJson(node::ThemesToJson(themes));
                          return Status::Ok();
                        }
                        ATTUNE_ASSIGN_OR_RETURN(ShortIds short_ids, journal.ShortIds());
                        std::cout << ThemesText(themes, short_ids);
                        return Status::Ok();
                      }});
}

}  // namespace

void AddReflectionCommands(CLI::App& app, std::vector<Command>& commands) {
  AddQuiz(app, commands);
  AddStyle(app, commands);
  AddSteps(app, commands);
  AddStep(app, commands);
  AddThemes(app, commands);
}

}  // namespace attune::cli
