"""One clock for the whole app: import and audit times, report and export stamps are all read in
one time zone, America/Sao_Paulo (Brasília time) unless ``PMAS_FUSO_HORARIO`` names another IANA
zone (e.g. ``America/Manaus``, ``America/Noronha``). Times are stored as that zone's wall-clock
time, and every screen that shows one says which zone it is (:func:`rotulo`)."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pmas import textos

FUSO_PADRAO = "America/Sao_Paulo"
VARIAVEL = "PMAS_FUSO_HORARIO"
_NOMES = {FUSO_PADRAO: textos.FUSO_BRASILIA}
# Brasília has had no daylight saving time since 2019: a fixed offset is right when the machine
# has no time-zone database (Windows without the tzdata package).
_BRASILIA_FIXO = timezone(timedelta(hours=-3), "BRT")

logger = logging.getLogger(__name__)


def nome() -> str:
    """The configured zone's IANA name (the default when the variable is unset or unknown)."""
    wanted = (os.environ.get(VARIAVEL) or "").strip() or FUSO_PADRAO
    if wanted != FUSO_PADRAO:
        try:
            ZoneInfo(wanted)
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning(
                "%s=%r não é um fuso horário conhecido: usando %s", VARIAVEL, wanted, FUSO_PADRAO
            )
            return FUSO_PADRAO
    return wanted


def fuso() -> tzinfo:
    try:
        return ZoneInfo(nome())
    except (ZoneInfoNotFoundError, ValueError):  # no time-zone database on this machine
        return _BRASILIA_FIXO


def agora() -> datetime:
    """Now, as the configured zone's wall-clock time (naive, to the second)."""
    return datetime.now(fuso()).replace(tzinfo=None, microsecond=0)


def rotulo() -> str:
    """How screens name the zone: "horário de Brasília", or the IANA name of another one."""
    n = nome()
    return _NOMES.get(n, n)
