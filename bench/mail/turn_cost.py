"""What a mail account costs a turn that is not about mail: prompt tokens read and the first
token, with the embedded model (the account is only stored; no server is reached).

    .venv/bin/python -m bench.mail.turn_cost [--model qwen2.5-coder-0.5b]

Each turn follows a warm (Session.warm), as in a live session, so what is read is the turn's own
words and whatever tools it was offered.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bench.common import MODELS, aprepare_data_dir, settings_for
from os1.events import EventType

ROOT = Path(__file__).resolve().parents[2]

TURNS = ("What time is it?", "How are you today?", "What is two plus two?", "Anything new in my inbox?")


async def run(model: str) -> None:
    from os1.core.runtime import close_companion, open_companion
    from os1.skills.mail.store import Account, MailStore

    settings = settings_for(model, await aprepare_data_dir(), temperature=0.0, max_reply_tokens=32)
    companion = await open_companion(settings)
    companion.memory = None  # the turn's prompt, not background embedding
    try:
        await MailStore(companion.store).save_account(Account(
            0, settings.user, "home", "sam@example.org", "Sam", "127.0.0.1", 993, "ssl",
            "127.0.0.1", 465, "ssl", "sam", b"not a real secret",
        ))
        session = await companion.session()
        for text in TURNS:
            await session.warm()
            events = [e async for e in session.turn(text)]
            read = [e.data.get("prompt_tokens") for e in events if e.type == EventType.GENERATION]
            first = next((e.at_ms for e in events if e.type == EventType.FIRST_TOKEN), None)
            reply = "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)
            calls = [e.data.get("tool") for e in events if e.type == EventType.TOOL_CALL]
            errors = [e.data.get("message", "")[:60] for e in events if e.type == EventType.ERROR]
            offered = sorted(n for n in session.offered if n.startswith("mail_"))
            print(f"{text:28} mail tools offered {len(offered)}  tokens read {read}  first token "
                  + (f"{first:.0f} ms" if first is not None else "none")
                  + f"  calls {calls}  reply {reply[:40]!r}" + (f"  error {errors}" if errors else ""))
    finally:
        await close_companion(companion)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=MODELS[0])
    asyncio.run(run(parser.parse_args().model))


if __name__ == "__main__":
    main()
