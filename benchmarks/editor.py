"""An editor's read of the briefings built from labelled items: what a desk would have to fix.

    python benchmarks/editor.py --labels ../shared/devset/dense/items.jsonl [--labels FILE ...]
        [--config config.yaml] [--show]

The labelled items (the devset's JSON lines: outlet, url, published, headline, body, story,
offtopic) are stored and built day by day exactly as `briefing build` would, and every day's
briefing is read for:
- headlines cut ("…") or opening with a dateline or agency tag ("KYIV, June 2 (Reuters) -");
- headlines that end inside the phrase introducing their sentence ("According to the head of
  the ministry, Boris Pistorius", "On 18 November 2024, during a Security Council briefing");
- summary sentences that are label fragments ("Read also:"), only say who spoke ("…, he wrote
  on X."), open with a dateline, leave a quotation open or do not end like a sentence;
- summaries that give the same figures twice;
- key developments that list one labelled event twice, or miss one of the day's three events
  most outlets reported (events reported by one outlet only are no one's top event).
Every count should be 0. `--show` prints each case.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.config import Config, load_config  # noqa: E402
from briefing.models import Briefing  # noqa: E402
from briefing.pipeline import store_items  # noqa: E402
from briefing.quality.labels import Labelled, load_all  # noqa: E402
from briefing.store import Store  # noqa: E402
from briefing.stories import Classifier, compose  # noqa: E402
from briefing.stories.assemble import assemble  # noqa: E402
from briefing.stories.sentence_facts import facts_of, is_label  # noqa: E402
from briefing.text.sentences import balanced, points_elsewhere  # noqa: E402

DATELINE = re.compile(  # "KYIV, June 2 (Reuters) -", "(AP) —", "/TASS/", "(MENAFN- Ukrinform)",
    # "WASHINGTON: ",
    # "Washington, Jan 10:"
    r"^(?:[A-Z][A-Z .'’-]{2,40}[,:]|\((?:[A-Z][A-Za-z]*[-\s]*){1,3}\)"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)?, [A-Z][a-z]{2,8}\.? \d{1,2}\b)"
    r"|/[A-Z]{2,}/|\((?:Reuters|AP|AFP)\)"
)
# "(MENAFN- Kuwait News Agency (KUNA)) BRUSSELS", "MOSCOW, Nov 19 - RIA Novosti.",
# "Rio de Janeiro, Nov. 19, (dpa/GNA) –", "Washington — "
SENTENCE_DATELINE = re.compile(
    r"^\(MENAFN-|^[A-Z][a-z]+(?: [A-Z][a-z]+)? [—―] "
    r"|^[A-Z][A-Za-z]+(?: (?:de|da|do|del|[A-Z][a-z]+))*, [A-Z][a-z]{2,8}\.? \d{1,2},? "
    r"(?:\([^)]{2,30}\) )?[-–—:]"
)
INTRODUCED = re.compile(r"(?:On|In|By|At|Since|Until) ")  # "On Monday, November 18, …"
ENDS = re.compile(r"[.!?…][\"'”’)\]]*$")
# "According to X, Y", "On the night of November 17", "On 18 November, during a briefing":
# phrases that introduce a sentence, and dates in apposition ("Monday, November 18")
INTRO = re.compile(
    r"(?i:according to|on|in|at|during|following|after|before|amid|as|while|since|speaking|from)"
    r"\b|(?:\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d)"
)
INTRODUCED = re.compile(r"(?:On|In|By|At|Since|Until) ")  # "On Monday, November 18, …"
ENDS = re.compile(r"[.!?…][\"'”’)\]]*$")
# "According to X, Y", "On the night of November 17", "In all regions on Monday, November 18":
# an introduction with no main clause after it (fewer than four words after its last comma)
INTRO_ONLY = re.compile(
    r"^(?:According to|On|In|At|During|Following|After|Amid|As|While|Since|Speaking)\b"
    r"(?:[^,]*,)*(?:\s*\S+){0,3}\s*$"
)
TOP_EVENTS = 3


def briefings(config: Config, labelled: list[Labelled]) -> list[Briefing]:
    """Every labelled day's briefing, built in order as `briefing build` would."""
    days = sorted({lab.item.when.astimezone(config.zone).date() for lab in labelled})
    built = []
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{Path(tmp) / 'e.db'}") as store:
        store_items(store, config, (lab.item for lab in labelled))
        for day in days:
            chosen, stories, dropped = assemble(store, config, day)
            classifier = Classifier(config)
            classifier.assign_all(stories)
            generated = store.mark_built(day)
            built.append(
                compose(
                    config,
                    day,
                    chosen.window,
                    stories,
                    dropped,
                    {},
                    classifier.catch_all,
                    generated,
                )
            )
    return built


def read(
    briefing: Briefing, event_of: dict[str, str], outlets_of: dict[date, Counter[str]]
) -> dict[str, list[str]]:
    """The cases an editor would fix in one briefing, by kind."""
    found: dict[str, list[str]] = defaultdict(list)
    day = briefing.date.isoformat()
    stories = [s for sec in briefing.sections for s in sec.visible]
    for story in stories:
        head = story.headline
        if head.endswith(("…", "...")) or DATELINE.search(head):
            found["headline cut or with a dateline"].append(f"{day} {head}")
        if intro_only(head):
            found["headline only an introduction"].append(f"{day} {head}")
        for sentence in story.summary:
            text = sentence.text
            if is_label(text) or points_elsewhere(text):
                found["label or pointer sentence"].append(f"{day} {text[:100]}")
            if not INTRODUCED.match(text) and (
                DATELINE.search(text) or SENTENCE_DATELINE.search(text)
            ):
                found["summary sentence with a dateline"].append(f"{day} {text[:100]}")
            if not balanced(text) or not (sentence.cut or ENDS.search(text)):
                found["broken sentence"].append(f"{day} {text[:100]}")
        facts = [facts_of(s.text) for s in story.summary]
        if any(f.within(facts[:i]) for i, f in enumerate(facts) if i):
            found["figures given twice in a summary"].append(f"{day} {head}")
    events = [_event(story, event_of) for story in briefing.key_developments]
    for event, n in Counter(e for e in events if e).items():
        if n > 1:
            found["key developments: one event twice"].append(f"{day} {event}")
    coverage = outlets_of.get(briefing.date, Counter()).most_common()
    floor = max(2, coverage[TOP_EVENTS - 1][1] if len(coverage) >= TOP_EVENTS else 0)
    for event, n in coverage[:TOP_EVENTS]:  # ties at one outlet are no one's top event
        if n >= floor and event not in events:
            found["key developments: a top event missing"].append(f"{day} {event}")
    return found


def intro_only(head: str) -> bool:
    """A headline that is only its sentence's introduction: every part after the first is an
    introduction too, or a name in apposition (three words at most); a headline of one part
    that opens with an introduction and has no comma is one if it is short."""
    first, *rest = head.split(", ")
    if not INTRO.match(first):
        return False
    if not rest:
        return len(head.split()) <= 8
    return all(INTRO.match(part) or len(part.split()) <= 3 for part in rest)


def _event(story, event_of: dict[str, str]) -> str | None:  # type: ignore[no-untyped-def]
    """The labelled event most of a story's items report."""
    events = Counter(event_of[i.id] for i in story.items if i.id in event_of)
    return events.most_common(1)[0][0] if events else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", action="append", required=True, type=Path)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    parser.add_argument("--show", action="store_true", help="print every case")
    args = parser.parse_args()
    config = load_config(args.config)
    labelled = load_all(args.labels, config.zone)
    on_topic = [lab for lab in labelled if not lab.offtopic]
    event_of = {lab.item.id: lab.story for lab in on_topic}
    outlets: dict[date, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for lab in on_topic:
        outlets[lab.item.when.astimezone(config.zone).date()][lab.story].add(lab.item.outlet)
    outlets_of = {d: Counter({e: len(o) for e, o in by.items()}) for d, by in outlets.items()}
    totals: Counter[str] = Counter()
    shown: list[str] = []
    built = briefings(config, labelled)
    for briefing in built:
        for kind, cases in read(briefing, event_of, outlets_of).items():
            totals[kind] += len(cases)
            shown += [f"  {kind}: {case}" for case in cases]
    stories = sum(len(sec.visible) for b in built for sec in b.sections)
    print(f"{len(built)} briefings, {stories} stories shown, {len(labelled)} labelled items")
    for kind in (
        "headline cut or with a dateline",
        "headline only an introduction",
        "label or pointer sentence",
        "summary sentence with a dateline",
        "broken sentence",
        "figures given twice in a summary",
        "key developments: one event twice",
        "key developments: a top event missing",
    ):
        print(f"{kind:<42} {totals[kind]}")
    if args.show:
        print("\n".join(shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
