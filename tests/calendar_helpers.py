"""What several calendar test modules share: a companion built on a scripted model with all
registered tools, and the stale-copy check every calendar backend must pass."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from os1.core.conversation import Companion
from os1.plugins import tools as registered_tools
from os1.skills.calendar import ical
from os1.skills.calendar.backends import StaleCopy
from tests.fakes import ScriptedLLM

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def make(settings, store):
    """make(*steps): a Companion whose model plays `steps`, in Berlin time."""
    settings.timezone = "Europe/Berlin"

    def build(*steps):
        return Companion(settings, ScriptedLLM(*steps), store, registered_tools())

    return build


async def refuses_stale_copy(backend, uid: str) -> None:
    """A write based on a copy someone else has changed since is refused, and theirs stays."""
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    text = ical.to_text(ical.build_event("A", start, start + timedelta(hours=1), uid=uid))
    first = await backend.create(uid, text)
    await backend.update(first, text.replace("SUMMARY:A", "SUMMARY:B"))
    with pytest.raises(StaleCopy):
        await backend.update(first, text.replace("SUMMARY:A", "SUMMARY:C"))
    assert "SUMMARY:B" in (await backend.get(uid)).text
