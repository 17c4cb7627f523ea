"""How goals are told apart when looking for repeated ones (validate._duplicates): the integer
ids agree with :func:`pmas.entrada.validate.goal_key` on every pair of rows, and the findings name
the same rows."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from pmas.entrada import validate

CODES = [None, "", "1.1", "1-1", "1.1 ", "A1", "a1", "2", "–", "Ação 1", "acao 1"]
TEXTS = [None, "", "Ampliar o CRAS", "ampliar o cras", "Ampliar o  CRAS!", "Reduzir filas", "ç"]


def _frame(rnd: random.Random, n: int, typed: bool) -> pd.DataFrame:
    codes = [rnd.choice(CODES) for _ in range(n)]
    if not typed:  # a column holding numbers beside texts, as some layouts give
        codes = [rnd.choice([v, 1, 1.0, 2.5, True]) if rnd.random() < 0.3 else v for v in codes]
    frame = pd.DataFrame(
        {
            "codigo": codes,
            "acao": [rnd.choice(TEXTS) for _ in range(n)],
            "meta": [rnd.choice(TEXTS) for _ in range(n)],
            "ano": [rnd.choice([2026, 2027]) for _ in range(n)],
        }
    )
    if typed:
        for c in ("codigo", "acao", "meta"):
            frame[c] = frame[c].astype("str")
    return frame


@pytest.mark.parametrize("seed", range(30))
def test_goal_ids_agree_with_goal_key_on_every_pair(seed):
    rnd = random.Random(seed)
    frame = _frame(rnd, 150, typed=seed % 2 == 0)
    keys = validate.goal_key(frame).to_numpy()
    ids = validate._goal_ids(frame)
    assert ((keys[:, None] == keys[None, :]) == (ids[:, None] == ids[None, :])).all()


def test_all_coded_goals_are_told_apart_by_code_alone():
    frame = _frame(random.Random(1), 50, typed=True)
    frame["codigo"] = [f"{i % 7}.{i % 3}" for i in range(50)]
    ids = validate._goal_ids(frame)
    keys = validate.goal_key(frame).to_numpy()
    assert ((keys[:, None] == keys[None, :]) == (ids[:, None] == ids[None, :])).all()
    assert len(np.unique(ids)) == 21
