"""Deterministic seeding: the numbers a page shows are the numbers a reader gets."""

from __future__ import annotations

import numbers

MAX_SEED = 2**32 - 1


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy, TensorFlow and Keras in one call.

    This is ``keras.utils.set_random_seed`` with its argument checked. ``tf.random.set_seed`` alone is
    not enough under Keras 3: Keras initializers, layers and ``keras.random`` draw their seeds from
    Python's ``random`` module, which it does not touch.

    Args:
        seed: an integer from 0 to 2**32 - 1.

    Raises:
        TypeError: if ``seed`` is not an integer (``True``/``False`` and floats are refused).
        ValueError: if ``seed`` is out of range.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer from 0 to {MAX_SEED}, got {type(seed).__name__}: {seed!r}")
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be from 0 to {MAX_SEED}, got {seed}")
    import keras

    keras.utils.set_random_seed(int(seed))
