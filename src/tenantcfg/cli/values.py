"""Operator values on the command line and in the environment, checked before any work.

argparse turns a ValueError from these into a usage error (exit 2) naming the option.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math

from tenantcfg.rules.model import Settings


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


def add_settings_arguments(parser: argparse.ArgumentParser, *, token_lifetime: bool = True) -> None:
    """The rule thresholds every judging command takes: waiver span, token lifetime."""
    parser.add_argument(
        "--max-waiver-days",
        type=positive_int,
        default=Settings.max_waiver_days,
        metavar="DAYS",
        help="a waiver may run at most DAYS from today (MYACC-018; default 90)",
    )
    if token_lifetime:
        parser.add_argument(
            "--max-token-lifetime",
            type=positive_int,
            default=Settings.max_token_lifetime,
            metavar="SECONDS",
            help="advisory threshold for MYACC-017 (default 3600)",
        )


def settings_from(args: argparse.Namespace) -> Settings:
    """The rule settings the command line asked for."""
    lifetime = getattr(args, "max_token_lifetime", Settings.max_token_lifetime)
    return Settings(max_token_lifetime=lifetime, max_waiver_days=args.max_waiver_days)
