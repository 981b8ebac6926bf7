"""Being there in a live voice conversation (a microphone, a WebSocket client): on a first run
the interview, spoken by the agent while it listens, each question answered by the user's next
words; then, as the chosen companion, what OS1 says first between turns.

The interview is asked through the same agent that hears the turns (`SpokenConsent.hear`), not
by a second reader of the microphone: one listener keeps the echo gate, the barge-in on a
question and the end-of-turn timing of every other answer
(docs/decisions/0018-live-spoken-interview.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from os1.core.interview import Identity
from os1.core.presence import Presence
from os1.core.schedule import OutboxItem
from os1.events import EventType
from os1.voice.agent import VoiceAgent, VoiceModels
from os1.voice.frames import AudioFrame
from os1.voice.talk import speak, voice_plan
from os1.voice.tts import open_voice


def _quietly(task: asyncio.Task[Any]) -> None:
    """Its outcome is read by whoever awaits it; unawaited (cancelled), it is not an error."""
    task.add_done_callback(lambda t: t.cancelled() or t.exception())


class LivePresence:
    """The presence (os1.core.presence) beside one live agent. `start` before the agent hears
    its first frame, `stop` when the conversation ends."""

    def __init__(
        self, session: Any, agent: VoiceAgent, voice: str | None = None,
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        self.presence = Presence(session)  # session: an os1.core.conversation.Session
        self.agent = agent
        self.voice = voice  # given for this run (--voice): kept, whatever the interview chose
        self.on_note = on_note  # e.g. "piper is not installed; espeak-ng speaks instead"
        self.identity: Identity | None = None  # chosen in this conversation's interview
        self.interview: asyncio.Task[None] | None = None
        self.speaking: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """No name yet: the interview, while the agent listens (no turn is taken until it is
        over). Otherwise the timekeeper and what OS1 says first, at once."""
        if await self.presence.name() is None:
            self.agent.interviewing = True
            self.interview = asyncio.create_task(self._interview())
            _quietly(self.interview)
        else:
            await self._speak_first()

    async def finish(self) -> None:
        """The input ended: an interview whose five answers were heard still chooses its name
        and says it (a question still waiting for an answer ends at once: EOFError)."""
        if self.interview is not None:
            await asyncio.gather(self.interview, return_exceptions=True)

    async def stop(self) -> None:
        for task in (self.interview, self.speaking):
            if task is not None and not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if self.agent.interviewing:  # a question may still be playing, its speaker waiting
            await self.agent.speaker.stop()
        await self.presence.stop()

    async def _interview(self) -> None:
        agent = self.agent
        try:
            identity = await self.presence.interview(agent.consent.hear)
        except EOFError:  # the user left before the last answer: it starts again next time
            return
        self.identity = identity
        await self._use_chosen_voice()
        intro = identity.intro
        agent.log.note(EventType.SAID, text=intro, name=identity.name)
        if agent.speaker.task is None:
            agent.speaker.start()
        agent.speaker.say(intro)
        await agent.speaker.finish()
        agent.interviewing = False
        agent.responder.warm()  # the new persona into the model's cache before the first turn
        await self._speak_first()

    async def _use_chosen_voice(self) -> None:
        """The voice asked for in the interview, from its introduction on (unless --voice)."""
        if self.voice is not None:
            return
        p = self.presence
        plan = await voice_plan(p.store, p.session.user)
        if plan.voice == self.agent.models.tts.name:
            return

        def load() -> tuple[Any, str | None]:
            tts, note = open_voice(plan.voice)
            tts.synthesize("Hello.")  # the one-off costs of a first synthesis, not on a sentence
            return tts, note

        tts, note = await asyncio.to_thread(load)
        self.agent.use_models(VoiceModels(self.agent.models.stt, tts, note))
        if note and self.on_note is not None:
            self.on_note(note)

    async def _speak_first(self) -> None:
        """Keep time; speak each proactive message when no turn is running."""
        p, agent = self.presence, self.agent
        await p.start()

        async def say(item: OutboxItem) -> None:
            agent.log.note(EventType.SAID, text=item.text, proactive=item.kind)
            await speak(agent.models, agent.sink, item.text)

        self.speaking = asyncio.create_task(p.speak_first(lambda: agent.busy, say))
        _quietly(self.speaking)


async def converse(
    session: Any, agent: VoiceAgent, frames: AsyncIterator[AudioFrame], *, voice: str | None = None,
    on_note: Callable[[str], None] | None = None,
) -> Identity | None:
    """A live conversation on `frames` (a microphone, a simulated sound card) until they end:
    the interview first when the companion has no name, then turns as that companion. Returns
    the identity chosen in it, if one was."""
    live = LivePresence(session, agent, voice, on_note)
    await live.start()
    try:
        await agent.run(frames, live=True)
        await live.finish()
    finally:
        await live.stop()
    return live.identity
