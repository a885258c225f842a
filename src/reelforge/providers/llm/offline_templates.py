"""Sentence templates for the offline script writer.

Kept apart from the assembly logic in ``offline.py`` so the wording can be
edited without touching the code that sizes and orders it. Rules the text must
keep (the editor's checks in ``studio/review.py`` enforce them on the output):
hooks stay under 12 words with the label filled in, on-screen texts stay at
6 words or fewer, numbers are spelled out, no intro phrases.

``{label}`` is the topic (or a short form of it when the topic is long). It is
always placed where a noun phrase *or* a question phrase reads naturally
("about {label}"), because topics come both ways: "black holes", "why bread
goes stale".
"""

from __future__ import annotations

from dataclasses import dataclass

#: Hook patterns by style. Each is under 12 words once ``{label}`` is filled
#: (the writer shortens the label to fit). Styles are matched against the DNA's
#: ``hook_styles`` by the keywords in :data:`STYLE_KEYWORDS`.
HOOKS: dict[str, tuple[str, ...]] = {
    "question": (
        "Ever wondered about {label}?",
        "What does nobody tell you about {label}?",
        "Do you really understand {label}?",
    ),
    "claim": (
        "Most people get {label} completely wrong.",
        "The truth about {label} surprises almost everyone.",
        "{Label} is stranger than it looks.",
    ),
    "stop": (
        "Stop guessing about {label}.",
        "Stop believing the myths about {label}.",
        "Stop ignoring {label}. It matters.",
    ),
    "secret": (
        "Here's the part about {label} nobody explains.",
        "There's a simple idea hiding behind {label}.",
    ),
    "list": ("{count} things to know about {label}.",),
}

#: Hooks for topics too long to quote inside a hook.
LONG_TOPIC_HOOKS: dict[str, tuple[str, ...]] = {
    "question": ("Ever wondered how this really works?", "What does nobody tell you here?"),
    "claim": ("Most people get this completely wrong.", "This one surprises almost everyone."),
    "stop": ("Stop guessing about this one.", "Stop believing the myths about this."),
    "secret": ("Here's the part nobody explains.",),
    "list": ("{count} things to know about this.",),
}

#: DNA hook-style wording -> our style names.
STYLE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "question": ("question", "ask", "curios", "wonder"),
    "claim": ("claim", "surpris", "bold", "shock", "contrar", "myth", "truth", "fact"),
    "stop": ("stop", "mistake", "don't", "dont", "never", "warning"),
    "secret": ("secret", "reveal", "nobody", "hidden"),
    "list": ("list", "number", "tips", "things", "steps"),
}

#: Scene 1's second sentence, after the hook.
CONTEXT = (
    "It's something we all run into, yet almost nobody stops to ask how it works.",
    "You've seen it countless times, and the explanation is simpler than you'd think.",
    "The short answer is easy to miss, so here it is, piece by piece.",
)

#: Scene 1's second sentence when the topic did not fit into the hook.
CONTEXT_LONG = (
    "This is about {topic}, and the explanation is simpler than you'd think.",
    "We're talking about {topic}. Here it is, piece by piece.",
)


@dataclass(frozen=True)
class Beat:
    """One explanation scene: a caption, sentences to choose from, visual ideas."""

    on_screen: str
    lines: tuple[str, ...]
    extra: str
    shots: tuple[str, ...]


BEATS: tuple[Beat, ...] = (
    Beat(
        "Start with the basics",
        (
            "Start with the basics. A few simple parts do most of the work here.",
            "First, the basics. Strip it down and only a few simple parts are left.",
        ),
        "Name them, and everything else gets easier to follow.",
        ("{p} overview", "{p} detail", "notebook sketch"),
    ),
    Beat(
        "Find the cause",
        (
            "Then find the cause. One trigger sets everything else in motion.",
            "Look for the cause. A single trigger starts the whole chain.",
        ),
        "Spot it once, and the rest clicks into place.",
        ("{p} macro", "{p} close up", "domino effect"),
    ),
    Beat(
        "How it actually happens",
        (
            "Next, the mechanism. It's a slow chain of small steps, each invisible on its own.",
            "Here's how it actually happens: small steps, one after another, mostly unseen.",
        ),
        "Put them in order and the mystery disappears.",
        ("{p} process", "{p} slow motion", "gears turning"),
    ),
    Beat(
        "The common myth",
        (
            "Now the common myth. Most people blame the obvious thing, and they're wrong.",
            "Here's the myth. The obvious explanation is rarely the real one.",
        ),
        "The real driver is usually quieter and slower.",
        ("person thinking", "{p} myth", "question mark"),
    ),
    Beat(
        "See it in real life",
        (
            "Picture a real example. Once you've watched it happen, you'll notice it everywhere.",
            "Think of a real example from your own week. It's been there all along.",
        ),
        "That's the moment it stops being abstract.",
        ("{p} everyday life", "people daily routine", "city street"),
    ),
    Beat(
        "The small details",
        (
            "Zoom in on the small details. That's where the real explanation hides.",
            "The small details matter most. Zoom in and the pattern shows up.",
        ),
        "The big picture only makes sense from there.",
        ("{p} texture", "magnifying glass", "{p} macro detail"),
    ),
)

PAYOFFS = (
    "So next time {label} comes up, you'll know what's really going on underneath.",
    "Put it together and {label} stops being a mystery. It's a few simple pieces at work.",
    "That's the whole picture behind {label}: small steps that add up to something big.",
)
PAYOFF_ON_SCREEN = ("Now you know", "The whole picture", "It all adds up")
PAYOFF_SHOTS = ("{p} result", "{p} wide shot", "sunrise timelapse")

#: (narration, on-screen text) pairs, used when the DNA brings no calls to action.
CTAS = (
    ("Follow for more short explainers like this.", "Follow for more"),
    ("Save this so you have it next time.", "Save this"),
    ("Share this with someone who would find it useful.", "Send this to a friend"),
    ("Comment with the topic you want explained next.", "What's next? Comment"),
)
CTA_SHOTS = ("phone scrolling", "smiling person phone", "hand tapping screen")

#: Beats for advice topics ("how to ...", "tips for ..."), where "the cause" reads wrong.
HOWTO_BEATS: tuple[Beat, ...] = (
    Beat(
        "Start small",
        (
            "Start small. Pick one change you can make today, not ten you'll drop by Friday.",
            "First, start small. One easy change beats a big plan you never begin.",
        ),
        "Small wins build the habit.",
        ("{p} first step", "writing a list", "{p} beginner"),
    ),
    Beat(
        "Cut the obvious waste",
        (
            "Next, cut the obvious waste. Most of the gain hides in things you already do.",
            "Look at what you already do. The easiest gains hide in plain sight.",
        ),
        "Fix those before anything fancy.",
        ("{p} waste", "{p} checklist", "cleaning desk"),
    ),
    Beat(
        "Avoid the classic mistake",
        (
            "Avoid the classic mistake: trying to change everything at once.",
            "The classic mistake is doing too much on day one.",
        ),
        "That's why most people give up in the first week.",
        ("frustrated person", "{p} mistake", "crumpled paper"),
    ),
    Beat(
        "Make it automatic",
        (
            "Then make it automatic. Set it up once so you don't rely on willpower.",
            "Make it automatic. A simple routine does the work for you.",
        ),
        "Willpower runs out; routines don't.",
        ("{p} routine", "calendar planner", "morning routine"),
    ),
    Beat(
        "Check what changed",
        (
            "Finally, check what changed. Notice what worked and do more of it.",
            "Keep score. Notice what actually worked and drop the rest.",
        ),
        "What gets noticed gets repeated.",
        ("{p} progress", "tracking notes", "ticking checklist"),
    ),
)
HOWTO_PAYOFFS = (
    "Try one of these today, and you'll feel the difference within a week.",
    "None of it is hard. The trick is doing the small things every single day.",
)

TITLES = ("{Label}, Explained", "The Truth About {Label}", "{Label} in Under a Minute")
HASHTAGS = ("#explained", "#learnsomething")

COUNT_WORDS = {2: "Two", 3: "Three"}

#: Words that never make a useful search term or hashtag.
_STOPWORDS_TEXT = """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't could did didn't do does doesn't doing don't down
    during each few for from further get gets getting go goes going gone got had has have having
    he her here hers herself him himself his how i if in into is isn't it it's its itself just
    let's like make makes many me more most much my myself no nor not now of off on once only or
    other our ours ourselves out over own really same she should so some such than that that's
    the their theirs them themselves then there these they this those through to too under until
    up use used very was we were what what's when where which while who whom why will with
    without would you your yours yourself yourselves way ways thing things stuff lot lots
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
