"""A reproducible news workload: N items across M sources and D days, written as feed files.

Items come from synthetic *events*: each event has a kind (talks, sanctions, strike, alliance,
other, off-topic), its own people, places, organisations and numbers, and is reported by one to
four outlets, each in its own wording (different templates, synonyms, sentence order). Shares of
cross-outlet duplicates and off-topic items are parameters. A labelled copy (JSON lines in the
devset format: outlet, url, published, headline, body, story, primary, offtopic) goes beside the
feeds for `briefing eval stories`.

    python benchmarks/generate.py --items 5000 --sources 50 --days 1 --out /tmp/workload
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

FIRST = """
    Olena Taras Mykola Iryna Serhiy Anna Pavlo Oksana Dmitry Sergei Viktor Maria Hans
    Klaus Pierre Marie John Emma Jan Piotr Ingrid Mehmet Leyla Kenji Lars
""".split()  # noqa: SIM905
LAST = """
    Kovalenko Shevchenko Bondar Melnyk Petrov Ivanov Sokolov Weber Fischer Dubois Martin
    Smith Taylor Nowak Kowalski Hansen Yilmaz Demir Tanaka Berg Lindqvist Moreau
""".split()  # noqa: SIM905
PLACES = """
    Kharkiv Odesa Dnipro Zaporizhzhia Sumy Kherson Mykolaiv Poltava Chernihiv Lviv
    Vinnytsia Kramatorsk Pokrovsk Kupiansk Bakhmut Avdiivka Belgorod Kursk Bryansk
    Voronezh Rostov Istanbul Geneva Vienna Riyadh Doha Brussels Vilnius Warsaw Helsinki
    Ankara
""".split()  # noqa: SIM905
ORGS = """
    NATO EU G7 UN IAEA OSCE Pentagon Kremlin Rosneft Gazprom Lukoil Naftogaz Ukrenergo
    Rheinmetall Raytheon Treasury Commission Bundestag Sejm Rada Duma
""".split()  # noqa: SIM905
OBJECTS = """
    drones missiles shells tankers banks refineries substations bridges depots airfields
    ports pipelines factories brigades battalions villages
""".split()  # noqa: SIM905
FILLER = (
    "Officials said more details would follow later in the day.",
    "The statement could not be independently verified.",
    "Analysts said the move reflected a shift in priorities.",
    "The ministry did not respond to a request for comment.",
    "Residents described a tense night with sirens sounding for hours.",
    "Diplomats cautioned that any agreement would take time to implement.",
    "Markets reacted calmly to the news.",
    "The announcement followed weeks of speculation.",
)
KINDS = {
    "negotiations": (
        [
            "{p1} and {p2} hold talks in {place} on ending the war",
            "Delegations meet in {place} as {p1} seeks ceasefire terms",
            "{place} hosts new round of peace negotiations led by {p1}",
            "Peace talks resume in {place}; {p2} presents {n}-point memorandum",
        ],
        [
            "{p1} met {p2} in {place} on {day} to discuss a ceasefire and a {n}-point memorandum.",
            "Negotiators in {place} discussed prisoner exchanges of up to {n} people, {p2} said.",
            "The talks in {place} ended without a breakthrough, according to {org}.",
        ],
    ),
    "sanctions": (
        [
            "{org} imposes sanctions on {n} {obj} linked to Russia",
            "New {org} sanctions package targets {n} {obj}",
            "{p1} announces {org} restrictions on {obj} after {place} talks",
            "Sanctions: {org} blacklists {n} {obj} in latest round",
        ],
        [
            "The {org} listed {n} {obj} in a package announced by {p1} on {day}.",
            "{p2} said the measures would cut revenue by about {n} million dollars.",
            "The restrictions take effect immediately, the {org} said in {place}.",
        ],
    ),
    "battlefield": (
        [
            "Russian strike on {place} kills {n}, officials say",
            "{n} {obj} launched at {place} overnight, air force says",
            "Attack on {place}: {p1} reports {n} dead and dozens wounded",
            "Overnight barrage hits {place} as {n} {obj} are shot down",
        ],
        [
            "A strike on {place} overnight killed {n} people, governor {p1} said on {day}.",
            "Air defences shot down most of the {n} {obj} aimed at {place}, {org} said.",
            "Rescuers in {place} searched the rubble, {p2} told reporters.",
        ],
    ),
    "nato": (
        [
            "NATO allies weigh {n}% spending goal at {place} meeting",
            "{p1} urges NATO partners to deploy {obj} to {place}",
            "Alliance ministers in {place} back {n} new {obj} for eastern flank",
            "{org} chief {p1} says security guarantees for Ukraine need {n} {obj}",
        ],
        [
            "NATO ministers meeting in {place} discussed a target of {n}% of GDP, {p1} said.",
            "{p2} said the alliance would station {obj} near {place}.",
            "The {org} statement on {day} mentioned security guarantees for Ukraine.",
        ],
    ),
    "other": (
        [
            "{place} reopens schools after {n} months underground",
            "Volunteers in {place} rebuild {n} homes damaged in the war",
            "{p1} opens reconstruction office in {place} with {org} funds",
            "Refugees return to {place} as {n} families register",
        ],
        [
            "In {place}, {n} families registered with {org} on {day}, {p1} said.",
            "{p2} described the rebuilding of {place} as slow but steady.",
            "Aid from {org} paid for {n} new shelters in {place}.",
        ],
    ),
    "offtopic": (
        [
            "{p1} wins {place} marathon in record {n} minutes",
            "{place} festival draws {n} visitors, organisers say",
            "Local council in {place} approves {n} new bus routes",
            "{p1} signs with {place} club for {n} million",
        ],
        [
            "The event in {place} drew {n} people on {day}, {p1} said.",
            "{p2} praised the organisers of the {place} programme.",
            "Tickets sold out within {n} minutes, according to organisers.",
        ],
    ),
}
OUTLETS = [
    f"{a} {b}"
    for a in (
        "Kyiv",
        "Baltic",
        "Danube",
        "Northsea",
        "Meridian",
        "Steppe",
        "Carpathian",
        "Harbour",
        "Continental",
        "Eastern",
    )
    for b in ("Ledger", "Wire", "Daily", "Post", "Report", "Observer", "Herald")
]


SYLLABLES = """
    ko va len shen bor mel pet iv sok we fi du mar tay no kow han yil dem ta ber lind mo
    ra zu chy hor lyt pri sta vol dan bil kra zer nyk
""".split()  # noqa: SIM905


def _name(rng: random.Random) -> str:
    """An invented proper name: real news names far more people and places than a fixed list."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_events(rng: random.Random, n_items: int, dup_share: float, off_share: float) -> list[dict]:
    events, total = [], 0
    while total < n_items:
        kind = "offtopic" if rng.random() < off_share else rng.choice(list(KINDS)[:5])
        reports = 1 if rng.random() > dup_share else rng.randint(2, 4)
        place = rng.choice(PLACES) if rng.random() < 0.5 else _name(rng)
        facts = {
            "p1": f"{rng.choice(FIRST)} {rng.choice([*LAST, _name(rng)])}",
            "p2": f"{rng.choice(FIRST)} {_name(rng)}",
            "place": place,
            "org": rng.choice(ORGS),
            "obj": rng.choice(OBJECTS),
            "n": rng.randint(2, 999),
        }
        events.append(
            {
                "kind": kind,
                "facts": facts,
                "reports": min(reports, n_items - total),
                "id": f"e{len(events)}",
            }
        )
        total += events[-1]["reports"]
    return events


def write(
    out: Path,
    n_items: int,
    n_sources: int,
    days: int,
    start: date,
    seed: int,
    dup_share: float = 0.3,
    off_share: float = 0.1,
) -> dict[str, int]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    outlets = (OUTLETS * (n_sources // len(OUTLETS) + 1))[:n_sources]
    feeds: dict[int, list[str]] = {i: [] for i in range(n_sources)}
    labels = []
    for event in make_events(rng, n_items, dup_share, off_share):
        day = start + timedelta(days=rng.randrange(days))
        base = datetime(day.year, day.month, day.day, 6, tzinfo=UTC) + timedelta(
            minutes=rng.randrange(14 * 60)
        )
        titles, sentences = KINDS[event["kind"]]
        facts = {**event["facts"], "day": day.strftime("%A")}
        for r, source in enumerate(rng.sample(range(n_sources), event["reports"])):
            title = rng.choice(titles).format(**facts)
            body = [s.format(**facts) for s in rng.sample(sentences, len(sentences))]
            body += rng.sample(FILLER, 2)
            when = base + timedelta(minutes=rng.randrange(240))
            url = (
                f"https://{outlets[source].lower().replace(' ', '')}{source}.example/"
                f"{day:%Y/%m/%d}/{event['id']}-{r}"
            )
            text = " ".join(body)
            feeds[source].append(
                f"<item><title>{escape(title)}</title><link>{url}</link><guid>{url}</guid>"
                f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                f"<description>{escape('<p>' + text + '</p>')}</description></item>"
            )
            labels.append(
                {
                    "outlet": outlets[source],
                    "url": url,
                    "published": when.isoformat(),
                    "headline": title,
                    "body": text,
                    "story": event["id"],
                    "primary": "other" if event["kind"] == "offtopic" else event["kind"],
                    "offtopic": event["kind"] == "offtopic",
                }
            )
    for index, entries in feeds.items():
        name = f"source-{index:04d}"
        xml = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(outlets[index])}</title>{''.join(entries)}</channel></rss>"
        )
        (out / f"{name}.xml").write_text(xml, encoding="utf-8")
    with (out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for row in labels:
            fh.write(json.dumps(row) + "\n")
    return {"items": len(labels), "sources": n_sources}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--start", default="2025-05-28")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dup-share", type=float, default=0.3)
    parser.add_argument("--off-share", type=float, default=0.1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(
        write(
            args.out,
            args.items,
            args.sources,
            args.days,
            date.fromisoformat(args.start),
            args.seed,
            args.dup_share,
            args.off_share,
        )
    )


if __name__ == "__main__":
    main()
