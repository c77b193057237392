"""Words for the demo activity: ask templates, thread messages, takeaways, kudos and moments. No logic."""

from __future__ import annotations

# (title, objective, context, preparation questions); {skill} is filled in.
ASK_TEMPLATES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "Unblock me on a {skill} problem",
        "fix this myself next time",
        "I've been stuck on this for two days. I read the docs and tried the obvious things; "
        "I think I'm missing a concept rather than a detail.",
        ("What would you check first?", "Which concept am I probably missing?"),
    ),
    (
        "Review my first {skill} change before it ships",
        "ship the change with confidence",
        "My first real change in this area. It works on my machine; I don't know what I don't know.",
        ("What would worry you in review?", "How do I test it properly?"),
    ),
    (
        "How do I get started with {skill}?",
        "plan my first two weeks of learning {skill}",
        "My team is adopting it next quarter and I'd like to be useful early.",
        ("What should I learn first?", "Which resources are worth my time?"),
    ),
    (
        "Second opinion on our {skill} approach",
        "explain the trade-offs of our approach to my team",
        "We picked an approach quickly under deadline pressure. Before we build more on it I'd like an "
        "experienced view.",
        ("Is this a reasonable approach?", "What would you do differently?"),
    ),
    (
        "Debug a stubborn {skill} issue",
        "find the root cause and know how to spot it again",
        "It only happens in production, roughly once a day. Logs attached in the thread once we start.",
        ("How do I narrow this down?",),
    ),
    (
        "Make sense of {skill} for a real project",
        "make the first design decision on my own",
        "I understand the tutorials but real projects look nothing like them.",
        ("Where do tutorials mislead?", "What does a good first version look like?"),
    ),
)

THREAD_OPENERS = (
    "Thanks for taking this! I've put the details in the context above; happy to share my screen.",
    "Thank you! Here's a bit more: the problem started after our last release.",
    "Great, thanks. I'm free most afternoons this week.",
)
HELPER_REPLIES = (
    "Happy to help. Can you share the smallest example that shows the problem?",
    "I've seen this before. Two things to check first: the configuration and the version you run.",
    "Good question. Let's start from what you expect to happen and work backwards.",
    "Short answer: yes, but there's a catch. I'll write the long answer below.",
)
MENTEE_FOLLOW_UPS = (
    "That helped a lot — I found it. One more question about the edge case…",
    "Tried it, works! Writing it down for the team.",
    "Makes sense. I'll try it this afternoon and report back.",
)

TAKEAWAYS = (
    "Start from the smallest example that reproduces the problem.",
    "Read the error message twice before searching for it.",
    "Measure first: guesses about performance are usually wrong.",
    "Write down the decision and why, so the next person does not have to ask.",
    "A checklist beats memory for anything done once a month.",
    "Ask for review early, when changing direction is still cheap.",
    "Prefer the boring solution until it measurably hurts.",
    "Pair for the first one, then do the next one alone.",
)
RESOURCES = (
    {"title": "The official documentation, getting-started guide", "url": "https://example.org/docs/start"},
    {"title": "Team wiki: how we do it here", "url": "https://example.org/wiki/how-we-work"},
    {"title": "A good conference talk on the topic", "url": "https://example.org/talks/intro"},
)
FEEDBACK_TO_MENTOR = (
    "Really clear and patient, thank you.",
    "Exactly what I needed — concrete and quick.",
    "Great session; maybe share the links before next time.",
    "",
)
KUDOS_MESSAGES = (
    "Thank you for making time at such short notice!",
    "You explained in 20 minutes what I'd been stuck on for a week.",
    "Patient, clear and kind. Thank you!",
    "Thanks for the review — the release went out without a hitch.",
    "Your tips saved our sprint.",
)
CANCEL_REASONS = (
    "Figured it out with my team lead.",
    "Priorities changed; the project is on hold.",
    "Found the answer in our wiki after all.",
)
DECLINE_NOTES = ("On call this week.", "Not deep enough in this area, sorry.", "")
MOMENT_NOTES = {
    "encouragement": (
        "Told a new joiner their first demo went great.",
        "Cheered on a colleague before a talk.",
    ),
    "insight": ("Shared a shortcut for our deploy script.", "Explained how our feature flags work."),
    "introduction": ("Introduced two people working on the same problem.",),
    "feedback": ("Gave feedback on a design doc.", "Reviewed a CV for an internal move."),
    "question": ("Answered a question about our data model.", "Helped debug a flaky test."),
}
INTRODUCTION_NOTES = (
    "You're both fighting the same problem from different sides — worth 20 minutes together.",
    "{second} built exactly what {first} is about to build. Save yourselves a week!",
    "Two of the most helpful people I know; you should meet.",
)
INTRODUCTION_MESSAGES = (
    "Hi! Great to meet you — when suits you for a quick call?",
    "Hello! Thursday afternoon works for me.",
)
GOAL_TITLES = (
    "Get confident with {skill}",
    "Use {skill} in a real project this quarter",
    "Be able to teach {skill} to a new joiner",
)
GOAL_WHY = (
    "It's on my growth plan for the next review.",
    "Our team depends on it and I want to stop being the bottleneck.",
    "Career pivot: this is the skill my next role needs.",
)
BOOKING_TOPICS = (
    "Quick question about {skill}",
    "Sanity-check my {skill} plan",
    "{skill}: where do I start?",
    "Review a small {skill} change",
)
OFFICE_HOURS_TITLES = ("{skill} drop-in", "Ask me about {skill}", "{skill} clinic")
