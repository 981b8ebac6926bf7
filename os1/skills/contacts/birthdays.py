"""Birthdays said first: "Today is Amy's birthday." at nine on the day (planned two days ahead,
once per person and year), registered with the core's timekeeper by plugin.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

from os1.core.planner import Plan, Planner, Planning

Birthdays = Callable[[], Awaitable[list[tuple[str, str, date]]]]  # (key, name, birthday)


class BirthdayPlan(Plan):
    def __init__(self, birthdays: Birthdays) -> None:
        self.birthdays = birthdays

    async def plan(self, planner: Planner, now: datetime) -> None:
        today = now.astimezone(planner.zone).date()
        for key, name, born in await self.birthdays():
            for year in (today.year, today.year + 1):
                try:
                    day = born.replace(year=year)
                except ValueError:  # 29 February in a common year: the 28th
                    day = date(year, 2, 28)
                if today <= day <= today + timedelta(days=2):
                    at = datetime.combine(day, time(9), tzinfo=planner.zone)
                    text = f"Today is {name}'s birthday."
                    await planner.add("birthday", text, at, f"birthday:{key}:{year}", 14 * 3600, now)


def plan_for(p: Planning) -> BirthdayPlan:
    """The birthdays of the user's contacts, from every address book."""

    async def birthdays() -> list[tuple[str, str, date]]:
        from os1.skills.contacts.service import birthdays_for

        return await birthdays_for(p.settings, p.store, p.user)

    return BirthdayPlan(birthdays)
