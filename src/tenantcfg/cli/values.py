"""Operator values on the command line and in the environment, checked before any work.

argparse turns a ValueError from these into a usage error (exit 2) naming the option.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math


def positive_seconds(text: str) -> float:
    """A finite number of seconds above zero (refuses -1, 0, nan, inf)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a finite number of seconds above 0")
    return value


def positive_int(text: str) -> int:
    """A whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number above 0")
    return value


def count(text: str) -> int:
    """A whole number of zero or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of 0 or more")
    return value


def source_date(epoch: str | None) -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a time, None when unset; ValueError when it is not one."""
    if epoch is None or epoch == "":
        return None
    if not epoch.isascii() or not epoch.isdigit():
        raise ValueError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970; "
            "unset it or give one, e.g. 1767225600"
        )
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is out of range") from None
