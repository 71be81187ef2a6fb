"""How people say Amazon's built-in intents, so they work without samples, as on a real speaker.

The compiler merges these phrases with any samples the model adds for the same intent. Only built-in
intents the model declares are understood (a real skill gets only the intents it declares).
"""

from __future__ import annotations

__all__ = ["BUILTIN_PHRASES", "FALLBACK_INTENT"]

FALLBACK_INTENT = "AMAZON.FallbackIntent"

BUILTIN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": (
        "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "yes please", "yes it is", "that is right",
        "correct", "right", "absolutely", "of course", "definitely", "please do", "go ahead", "do it",
        "sounds good", "affirmative", "that is correct", "yes do it", "sure thing", "why not", "alright",
        "all right", "confirm", "i do", "yes i do", "fine", "uh huh", "that works", "perfect", "exactly",
    ),
    "AMAZON.NoIntent": (
        "no", "nope", "nah", "no thanks", "no thank you", "not really", "no way", "negative", "not now",
        "i do not", "do not", "no it is not", "that is wrong", "wrong", "not that", "i do not think so",
        "no i do not", "not at all", "no not that one", "definitely not", "i would rather not", "don't",
    ),
    "AMAZON.HelpIntent": (
        "help", "help me", "what can i say", "what can i do", "what can you do", "how does this work",
        "i need help", "what are my options", "how do i use this", "what do i say", "i am confused",
        "i am lost", "what should i say", "how does it work", "options", "instructions",
    ),
    "AMAZON.StopIntent": (
        "stop", "shut up", "quit", "exit", "be quiet", "off", "that is all", "that is enough", "enough",
        "goodbye", "bye", "good bye", "i am done", "we are done", "end", "leave", "stop talking",
        "i am finished", "close", "turn off",
    ),
    "AMAZON.CancelIntent": (
        "cancel", "never mind", "nevermind", "forget it", "cancel that", "forget about it",
        "scratch that", "abort", "cancel it", "do not bother", "skip it",
    ),
    "AMAZON.RepeatIntent": (
        "repeat", "say that again", "repeat that", "what", "pardon", "come again", "sorry what",
        "what did you say", "can you repeat that", "say it again", "once more", "one more time",
        "i did not catch that", "i did not hear you", "again", "pardon me",
    ),
    "AMAZON.NextIntent": (
        "next", "more", "next one", "skip", "show me more", "more results", "the next one", "what else",
        "keep going", "continue", "go on", "next page", "anything else", "other options", "more options",
    ),
    "AMAZON.PreviousIntent": ("previous", "go back", "back", "the previous one", "last one"),
    "AMAZON.StartOverIntent": (
        "start over", "restart", "start again", "begin again", "from the beginning", "start from scratch",
        "reset", "let us start over", "start from the beginning", "begin from the start",
    ),
    "AMAZON.NavigateHomeIntent": (
        "go home", "home", "main menu", "go to the main menu", "take me home", "go to the start",
        "back to the start", "home screen", "go to home",
    ),
    "AMAZON.PauseIntent": ("pause", "hold on", "wait"),
    "AMAZON.ResumeIntent": ("resume", "carry on", "unpause"),
}
"""Built-in intent -> phrases it understands without samples (written here, not copied)."""
