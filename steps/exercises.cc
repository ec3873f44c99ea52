#include "steps/exercises.h"

#include <array>

namespace attune::steps {
namespace {

constexpr std::array<std::string_view, 1> kGuessStyle = {
    "Before you look at your partner's quiz result: which style do you think leads for them, and "
    "what have you seen that makes you think so?"};

constexpr std::array<std::string_view, 1> kOneUpside = {
    "Name one thing your partner's way of loving gives you, something you would miss if it were "
    "gone."};

constexpr std::array<std::string_view, 1> kSameMoment = {
    "Think of the moment you two keep coming back to. Write your need statement for it: \"I feel "
    "... when ... I feel loved and connected when ...\""};

constexpr std::array<std::string_view, 1> kRepairNoticed = {
    "What is one repair you noticed this week, however small: a return, an apology, a softer "
    "word?"};

constexpr std::array<std::string_view, 3> kCheckIn = {
    "What felt good between us this week?", "What was hard, or is still on your mind?",
    "What is one thing you would like from me in the week ahead?"};

constexpr std::array<ExerciseGuide, 5> kExercises = {{
    {"guess-style", 2, "Guess each other's style",
     "Each of you guesses the other's leading style before seeing their result. It is not a "
     "test; the interesting part is what you each noticed.",
     kGuessStyle},
    {"one-upside", 3, "One upside of the other's style",
     "Each of you names a gift in the other's way of loving, so that a style is seen for what "
     "it offers as well as what it costs.",
     kOneUpside},
    {"same-moment", 7, "A need statement for the same moment",
     "You each write about the same recurring moment, in your own words. Seeing both statements "
     "side by side often shows two needs that were never in conflict.",
     kSameMoment},
    {"repair-noticed", 9, "A repair each of you noticed",
     "Repair is easy to miss when it is small. Naming what you each noticed lets the other know "
     "it landed.",
     kRepairNoticed},
    {"check-in", 9, "Weekly check-in",
     "Three short questions to keep talking gently, whenever it suits you both; skip a week "
     "whenever you like.",
     kCheckIn},
}};

}  // namespace

std::span<const ExerciseGuide> AllExercises() {
  return kExercises;
}

const ExerciseGuide* FindExercise(std::string_view name) {
  for (const ExerciseGuide& exercise : kExercises) {
    if (exercise.name == name) return &exercise;
  }
  return nullptr;
}

}  // namespace attune::steps
