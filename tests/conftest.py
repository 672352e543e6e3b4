"""Shared configuration of the test suite.

* One Hypothesis profile, ``softmax_ce``, loaded for every test: derandomized
  (the same examples on every run and every machine), no example database on
  disk, no per-example deadline (the machine is shared, timings are noisy).
  ``HYPOTHESIS_PROFILE=thorough`` runs ten times more examples, still
  deterministically.
* ``rng``: a freshly seeded NumPy generator for each test, so a test's data do
  not depend on which other tests ran before it.
* Every test leaves mpmath's global precision as it found it (scope a higher one
  with ``mpmath.workdps``), so no reference silently depends on test order.
"""

from __future__ import annotations

import os

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

#: Seed of every ``rng`` fixture.
SEED = 20251124

_COMMON = dict(
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=(HealthCheck.too_slow,),
)
settings.register_profile("softmax_ce", max_examples=40, **_COMMON)
settings.register_profile("thorough", max_examples=400, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "softmax_ce"))


@pytest.fixture
def rng() -> np.random.Generator:
    """A NumPy generator seeded with :data:`SEED`, new for each test."""
    return np.random.default_rng(SEED)


@pytest.fixture(autouse=True)
def _mpmath_precision_is_restored():
    """Fail a test that changes ``mpmath.mp`` precision for the tests after it."""
    before = mpmath.mp.prec
    yield
    assert mpmath.mp.prec == before, (
        f"mpmath.mp.prec left at {mpmath.mp.prec} (was {before}): use mpmath.workdps"
    )
