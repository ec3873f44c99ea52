// The one table of the nine steps, written for attune: each step's number, title, guidance,
// prompts and kinds of entry (with how many of each the step suggests). The list of kinds
// (steps/kinds.cc) and progress (steps/step_progress.cc) are derived from it.
#include "steps/steps_guide.h"

namespace attune::steps {
namespace {

constexpr std::string_view kStep1Prompts[] = {
    "Which of the quiz statements stayed with you, and why?",
    "When you feel close to someone, what do you notice in your body?",
    "When closeness is interrupted, what do you tend to do first?",
    "What about your result felt familiar, and what surprised you?",
};
constexpr KindGuide kStep1Kinds[] = {
    {"style", "your attachment-style self-assessment result (from `attune quiz`)", true, 1,
     "style result", "style results"},
};

constexpr std::string_view kStep2Prompts[] = {
    "What does your partner tend to do when they feel close to you? And when they feel distant?",
    "Which of their reactions have you taken personally that might come from their own history?",
    "Where do your two styles fit together, and where do they pull against each other?",
    "What would you like your partner to understand about your style in return?",
};
constexpr KindGuide kStep2Kinds[] = {
    {"partner-style", "what you have learned about your partner's style", false, 1,
     "partner-style note", "partner-style notes"},
};

constexpr std::string_view kStep3Prompts[] = {
    "What does your style help you do well in relationships?",
    "In which moments has your style protected you?",
    "Where does your style make it harder to receive what you long for?",
    "What might your partner say your style gives them, and what it costs them?",
};
constexpr KindGuide kStep3Kinds[] = {
    {"upside", "a strength your style gives you", false, 10, "upside", "upsides"},
    {"downside", "a way your style makes things harder", false, 10, "downside", "downsides"},
};

constexpr std::string_view kStep4Prompts[] = {
    "What happened just before the feeling rose up?",
    "What did you feel, and where did you feel it in your body?",
    "What did you want to do in that moment, and what did you actually do?",
    "Has this feeling visited you before, in other relationships or earlier in life?",
};
constexpr KindGuide kStep4Kinds[] = {
    {"trigger", "an \"I feel ... when ...\" moment, noted without judgement", false, 3, "trigger",
     "triggers"},
};

constexpr std::string_view kStep5Prompts[] = {
    "Which feelings show up again and again in your triggers?",
    "If several of your triggers shared one sentence, what would it be?",
    "In those moments, what do you fear might be true about you, or about love?",
    "How old do you feel when this place is touched?",
};
constexpr KindGuide kStep5Kinds[] = {
    {"wound", "a core wound found in the themes of your triggers", false, 1, "wound", "wounds"},
};

constexpr std::string_view kStep6Prompts[] = {
    "When do you first remember feeling this way?",
    "What did you need back then that you did not receive?",
    "Who or what helped you feel safe as a child, even a little?",
    "When this wound is touched today, what do you need from yourself and from your partner?",
};
constexpr KindGuide kStep6Kinds[] = {
    {"origin", "where a wound began, traced back to childhood", false, 1, "origin", "origins"},
    {"need", "the need a wound points to", true, 1, "need", "needs"},
};

constexpr std::string_view kStep7Prompts[] = {
    "Which feeling comes up most often for you, in one or two words?",
    "What exactly was happening when you felt it, as a camera would have seen it?",
    "What helps you feel loved and connected, in a way your partner could actually do?",
    "How might your partner feel hearing this statement, and how would you like them to feel?",
};
constexpr KindGuide kStep7Kinds[] = {
    {"statement", "a need put as \"I feel ... when ... I feel loved and connected when ...\"", true,
     1, "statement", "statements"},
};

constexpr std::string_view kStep8Prompts[] = {
    "Which situation keeps leaving you depleted or hurt?",
    "What will you do, calmly, the next time it happens?",
    "How can you say this boundary so it sounds like care rather than punishment?",
    "The last time you restated it, what happened, and how did you feel afterwards?",
};
constexpr KindGuide kStep8Kinds[] = {
    {"boundary", "a boundary, and each time it had to be restated", true, 1, "boundary",
     "boundaries"},
};

constexpr std::string_view kStep9Prompts[] = {
    "What small moment of repair happened between you this week?",
    "What did your partner do that reached one of your wounds in a good way?",
    "What repair could you offer your partner in the coming days?",
    "After a rough moment, what helped the two of you find your way back?",
};
constexpr KindGuide kStep9Kinds[] = {
    {"repair", "a conscious wound-repair note", true, 1, "repair", "repairs"},
};

constexpr StepGuide kSteps[kStepCount] = {
    {1, "Discover your attachment style",
     "Attachment styles are the ways we learned, often very early, to stay close to the people "
     "we depend on. The quiz is an invitation to get curious about your own patterns, not a box "
     "to put yourself in, and it is only one way in: reading about attachment, talking it "
     "through with a therapist, or trying more than one questionnaire can show you more. Notice "
     "which parts feel most like you, and keep those; let go of what doesn't. Whatever your "
     "result, it once made sense as a way of coping.",
     kStep1Prompts, kStep1Kinds},
    {2, "Understand your partner's style",
     "Your partner learned their own ways of staying safe in closeness, and they may look very "
     "different from yours. Try to meet their style with the same kindness you would want for "
     "your own. If they are willing, they can share their quiz result; otherwise you can write "
     "down, with care, what you have noticed. Understanding a pattern is not the same as excusing "
     "hurt; it simply makes the dance between you easier to see.",
     kStep2Prompts, kStep2Kinds},
    {3, "Honour the gifts and the costs of your style",
     "Every attachment style carries real strengths as well as patterns that cost you something. "
     "Writing ten upsides and ten downsides helps you see your style whole, rather than as "
     "something to be ashamed of. Take your time: some days the upsides come more easily, other "
     "days the downsides. Between the two lists, take a break, and come back to the downsides "
     "rested. There are no wrong answers here.",
     kStep3Prompts, kStep3Kinds},
    {4, "Notice your triggers",
     "A trigger is a moment when something happening now touches an older hurt, and the feeling "
     "is bigger than the moment alone would explain. Write each one as \"I feel ... when ...\", "
     "as plainly as you can, without judging yourself or your partner. You are gathering "
     "understanding, not building a case. Over time, your notes will begin to show patterns; "
     "attune suggests three as a start only because themes (step 5) need a few moments to "
     "compare. It is not a quota.",
     kStep4Prompts, kStep4Kinds},
    {5, "Find the wounds beneath your triggers",
     "Looking across your triggers, you may notice themes that keep returning, such as a fear of "
     "being left or of not being enough. These themes often point to a core wound: a tender "
     "place that was hurt long ago, sometimes before you had words for it. Your own reactions "
     "can be clues too: if you find yourself criticising, withdrawing or holding on tight, ask "
     "what that behaviour protects. Naming a wound is an act of understanding, not of blame, "
     "toward yourself or anyone else. You can link each wound to the triggers it helps explain.",
     kStep5Prompts, kStep5Kinds},
    {6, "Trace each wound to its roots and name the need",
     "Many wounds began in childhood, when a need for comfort, safety or attention was not met "
     "in the way we needed. Some caregivers did their best with what they had; some did real "
     "harm. Both can be true, and your hurt counts either way: understanding where a wound "
     "began never requires excusing it. Seeing its roots helps you name the need it points to "
     "today. Go gently here, pause whenever you need to, and consider doing this part with a "
     "therapist's support.",
     kStep6Prompts, kStep6Kinds},
    {7, "Speak your needs",
     "A need statement holds a feeling, a moment and a need in a few words: \"I feel [a "
     "feeling] when [a moment]. I feel loved and connected when [a need].\" Said this way, it "
     "invites your partner "
     "closer rather than putting them on trial. attune may gently point out words that often "
     "land as blame and suggest another way to put them; the choice is always yours. Try saying "
     "your statements aloud at a calm time, when you both have room to listen.",
     kStep7Prompts, kStep7Kinds},
    {8, "Hold your boundaries with kindness",
     "A boundary is a clear, kind description of what you will do to take care of yourself; it "
     "is about your own actions, not about controlling your partner. Boundaries often need "
     "restating while old patterns change, and restating one is not a failure. Noting each "
     "boundary, and each time it needed saying again, helps you see what is shifting. If a "
     "boundary keeps being crossed after you have named it clearly, that is not a problem with "
     "your wording, and you deserve care and support: from people you trust, from a therapist, "
     "and from yourself. Moving forward with self-love, whatever happens between you, is always "
     "open to you. Be as gentle with yourself as you are clear.",
     kStep8Prompts, kStep8Kinds},
    {9, "Repair, together and on purpose",
     "Repair is the conscious work of offering each other, again and again, some of what an old "
     "wound was missing. It lives in small moments: a reassuring word, a call returned, staying "
     "in the room a little longer. Writing down the repairs you give and receive lets you both "
     "see progress that is easy to miss. When you both feel ready, repair can also mean "
     "exploring your childhoods and families together, so that each of you understands where "
     "the other's wounds began. Repair needs the commitment of both of you; one person cannot "
     "carry it alone. Setbacks are part of repair, not proof that it isn't working.",
     kStep9Prompts, kStep9Kinds},
};

// Kinds that belong to no step: they suggest no count.
constexpr KindGuide kKindsOutsideSteps[] = {
    {"note", "anything else", false, 0, "note", "notes"},
    {"response", "your answer to something your partner shared (from `attune respond`)", true, 0,
     "response", "responses"},
};

}  // namespace

std::span<const KindGuide> KindsOutsideSteps() {
  return kKindsOutsideSteps;
}

std::span<const StepGuide> AllSteps() {
  return kSteps;
}

Result<const StepGuide*> FindStep(int n) {
  if (n < 1 || n > kStepCount) return Status::InvalidArgument("steps are numbered 1 to 9");
  return &kSteps[n - 1];
}

std::string_view StepsPreamble() {
  return "The nine steps are a path to walk at your own pace, not a test to pass. You can come "
         "back to any step whenever you like, add to one you have finished, or rest for a while. "
         "Each of you moves at your own speed.";
}

std::string_view SupportLine() {
  return "A trained psychotherapist can offer more support (`attune help support`); if you or "
         "someone else is in danger or in crisis, contact your local emergency services right "
         "away.";
}

std::string_view SupportNote() {
  return "attune is a companion for reflection, not a replacement for therapy. If old hurts "
         "feel heavy, or the two of you keep getting stuck in the same place, a trained "
         "psychotherapist, ideally one experienced with attachment and couples, can offer "
         "support a journal cannot. If you or someone else is in danger or in crisis, please "
         "contact your local emergency services right away.";
}

}  // namespace attune::steps
