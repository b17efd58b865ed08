"""Writes data/heart.csv: the heart-disease table the study notes load, for use with no network.

The first two rows, with their targets, are the rows the notes print; rows 3 to 8 carry the feature values
the notes print for their first batch. Every other value is synthetic: drawn from a fixed-seed NumPy
generator in plausible clinical ranges, with the target drawn from a logistic model of the features. Two
rows have no ``thal`` value, as in the original table's odd entries, to show pandas 3's missing strings.

Run it from anywhere: ``python data/make_heart_csv.py``. It rewrites the same bytes every time.
"""

from pathlib import Path

import numpy as np

COLUMNS = "age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,target".split(",")
ROWS_FROM_THE_NOTES = [
    [63, 1, 1, 145, 233, 1, 2, 150, 0, 2.3, 3, 0, "fixed", 0],
    [67, 1, 4, 160, 286, 0, 2, 108, 1, 1.5, 2, 3, "normal", 1],
]
FEATURES_FROM_THE_NOTES = [  # the notes print these rows' features, not their targets
    [67, 1, 4, 120, 229, 0, 2, 129, 1, 2.6, 2, 2, "reversible"],
    [37, 1, 3, 130, 250, 0, 0, 187, 0, 3.5, 3, 0, "normal"],
    [41, 0, 2, 130, 204, 0, 2, 172, 0, 1.4, 1, 0, "normal"],
    [56, 1, 2, 120, 236, 0, 0, 178, 0, 0.8, 1, 0, "normal"],
    [62, 0, 4, 140, 268, 0, 2, 160, 0, 3.6, 3, 2, "normal"],
    [57, 0, 4, 120, 354, 0, 0, 163, 1, 0.6, 1, 0, "normal"],
]
SYNTHETIC_ROWS = 295
ROWS_WITHOUT_THAL = (120, 250)  # 0-based row numbers whose thal is left empty
SEED = 2021


def target_of(row: list, rng: np.random.Generator) -> int:
    age, sex, cp, _, chol, _, _, thalach, exang, oldpeak, _, ca, thal = row
    score = (
        0.04 * (age - 54)
        + 0.8 * sex
        + 0.5 * (cp == 4)
        - 0.03 * (thalach - 150)
        + 0.9 * exang
        + 0.6 * oldpeak
        + 0.7 * ca
        + 1.0 * (thal == "reversible")
        + 0.003 * (chol - 240)
        - 3.2
    )
    return int(rng.random() < 1 / (1 + np.exp(-score)))


def synthetic_row(rng: np.random.Generator) -> list:
    age = int(np.clip(rng.normal(54, 9), 29, 77))
    sex = int(rng.random() < 0.68)
    cp = int(rng.choice([1, 2, 3, 4], p=[0.08, 0.17, 0.28, 0.47]))
    trestbps = int(np.clip(rng.normal(131, 17), 94, 200))
    chol = int(np.clip(rng.normal(246, 50), 126, 564))
    fbs = int(rng.random() < 0.15)
    restecg = int(rng.choice([0, 1, 2], p=[0.5, 0.02, 0.48]))
    thalach = int(np.clip(rng.normal(150 - 0.5 * (age - 54), 22), 71, 202))
    exang = int(rng.random() < 0.33)
    oldpeak = float(np.round(np.clip(rng.exponential(1.0), 0, 6.2), 1))
    slope = int(rng.choice([1, 2, 3], p=[0.47, 0.46, 0.07]))
    ca = int(rng.choice([0, 1, 2, 3], p=[0.58, 0.22, 0.13, 0.07]))
    thal = str(rng.choice(["normal", "reversible", "fixed"], p=[0.55, 0.39, 0.06]))
    return [age, sex, cp, trestbps, chol, fbs, restecg, thalach, exang, oldpeak, slope, ca, thal]


def rows() -> list[list]:
    rng = np.random.default_rng(SEED)
    table = [list(row) for row in ROWS_FROM_THE_NOTES]
    table += [row + [target_of(row, rng)] for row in FEATURES_FROM_THE_NOTES]
    for _ in range(SYNTHETIC_ROWS):
        row = synthetic_row(rng)
        table.append(row + [target_of(row, rng)])
    for index in ROWS_WITHOUT_THAL:
        table[index][12] = ""
    return table


def csv_text() -> str:
    lines = [",".join(COLUMNS)]
    lines += [",".join(str(value) for value in row) for row in rows()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "heart.csv"
    target.write_text(csv_text(), encoding="utf-8")
    print(f"wrote {target} ({len(rows())} rows)")
