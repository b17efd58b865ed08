"""Writes data/reviews.csv: short product reviews labelled 1 (positive) or 0 (negative), for use with no network.

Every sentence is made from the templates and word lists below, written for this repository, so the file
is this repository's to license. A fixed-seed NumPy generator fills the templates; the two classes share
the products, the sentence frames and the intensifiers, so what tells them apart is the sentiment words.
Because the sentences come from a few templates, a model fits them easily: the file is for showing how
text gets into a model, not for measuring how well a model understands reviews.

Run it from anywhere: ``python data/make_reviews_csv.py``. It rewrites the same bytes every time.
"""

import csv
import io
from pathlib import Path

import numpy as np

PRODUCTS = [
    "kettle", "lamp", "backpack", "keyboard", "chair", "blender", "jacket",
    "headphones", "umbrella", "toaster", "mug", "tent", "charger", "blanket",
]
POSITIVE_WORDS = [
    "great", "excellent", "lovely", "sturdy", "reliable", "comfortable",
    "perfect", "brilliant", "solid", "superb",
]
NEGATIVE_WORDS = [
    "terrible", "awful", "flimsy", "useless", "noisy", "disappointing",
    "cheap", "poor", "faulty", "dreadful",
]
INTENSIFIERS = ["really", "very", "quite", "truly", "so"]
PERIODS = ["day", "week", "month", "few days", "couple of weeks"]

# {product}, {word} (a sentiment word), {intensifier} and {period} are filled in; a sentence's first letter
# is upper-cased afterwards.
POSITIVE_TEMPLATES = [
    "The {product} is {word}.",
    "I love this {product}!",
    "{word} {product}; would buy again.",
    "My new {product} is {intensifier} {word}.",
    "Arrived quickly and the {product} feels {word}.",
    "After a {period} the {product} is still {word}.",
    "A {word} {product} for the price.",
    "Five stars: the {product} is {intensifier} {word}!",
]
NEGATIVE_TEMPLATES = [
    "The {product} is {word}.",
    "I regret buying this {product}.",
    "{word} {product}; sending it back.",
    "My new {product} is {intensifier} {word}.",
    "Arrived late and the {product} feels {word}.",
    "After a {period} the {product} stopped working.",
    "A {word} {product} for the price.",
    "One star: the {product} is {intensifier} {word}!",
]
SENTENCES_PER_LABEL = 200
SEED = 2024


def sentence(template: str, words: list[str], rng: np.random.Generator) -> str:
    text = template.format(
        product=rng.choice(PRODUCTS),
        word=rng.choice(words),
        intensifier=rng.choice(INTENSIFIERS),
        period=rng.choice(PERIODS),
    )
    return text[0].upper() + text[1:]


def rows() -> list[tuple[str, int]]:
    """Distinct sentences, SENTENCES_PER_LABEL of each label, in a shuffled order."""
    rng = np.random.default_rng(SEED)
    table = []
    for label, templates, words in [(1, POSITIVE_TEMPLATES, POSITIVE_WORDS), (0, NEGATIVE_TEMPLATES, NEGATIVE_WORDS)]:
        seen = set()
        while len(seen) < SENTENCES_PER_LABEL:
            text = sentence(templates[rng.integers(len(templates))], words, rng)
            if text not in seen:
                seen.add(text)
                table.append((text, label))
    order = rng.permutation(len(table))
    return [table[index] for index in order]


def csv_text() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["text", "label"])
    writer.writerows(rows())
    return out.getvalue()


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "reviews.csv"
    target.write_text(csv_text(), encoding="utf-8")
    print(f"wrote {target} ({len(rows())} rows)")
