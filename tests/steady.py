"""The moment real-model tests are told it is (see conftest's `steady_clock`): 09:00 UTC on the
day the run began, so one run's prompts are the same from the first test to the last."""

from datetime import UTC, datetime

STEADY_START = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
