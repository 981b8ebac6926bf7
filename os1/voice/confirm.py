"""Asking aloud: a voice has no prompt, so the companion speaks the question and the user's next
words answer it. Before a side effect anything but a clear yes is a no; a question of the
interview (`hear`) waits for its answer, however long the user takes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from os1.core.tools import ConfirmationRequest
from os1.events import EventType, Trace
from os1.language.consent import approves
from os1.voice.log import VoiceLog
from os1.voice.speaker import Speaker

__all__ = ["SpokenConsent", "approves", "question", "spoken_value"]

VALUE_CHARS = 80
ANSWER_HEARD_OUT_S = 15.0  # an answer to a question asked aloud, begun in time, may take this long more


def spoken_value(value: Any) -> str:
    text = value if isinstance(value, str) else ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS].rsplit(" ", 1)[0] + "…"


def question(request: ConfirmationRequest) -> str:
    """'Shall I add event: title Lunch with Amy, day next Tuesday, time one? Yes or no?'"""
    details = ", ".join(
        f"{name.replace('_', ' ')} {spoken_value(value)}"
        for name, value in request.arguments.items()
        if value not in (None, "", [], {})
    )
    return f"Shall I {request.tool.replace('_', ' ')}{': ' + details if details else ''}? Yes or no?"


class SpokenConsent:
    """Questions asked aloud in a voice session (the session's confirmer, the interview): speak
    the question; the user's next words answer it, and need no wake phrase."""

    def __init__(
        self,
        speaker: Speaker,
        log: VoiceLog,
        timeout_s: float,
        turn_trace: Callable[[], Trace | None],
        hearing: Callable[[], bool],
    ) -> None:
        self.speaker = speaker
        self.log = log
        self.timeout_s = timeout_s
        self.turn_trace = turn_trace  # the trace of the turn that asks
        self.hearing = hearing  # words are being heard (an answer begun, not yet a turn)
        self.ended = False  # the input is over: nobody is left to answer a question
        self._answer: asyncio.Future[str] | None = None  # the words that answer the question

    @property
    def asking(self) -> bool:
        return self._answer is not None and not self._answer.done()

    async def ask(self, request: ConfirmationRequest) -> bool:
        """Speak the question; True only for a clear yes."""
        if self.ended:
            return False
        text = question(request)
        if (trace := self.turn_trace()) is not None:
            self.log.emit(trace.emit(EventType.CONFIRM_ASKED, tool=request.tool, text=text))
        self._answer = asyncio.get_running_loop().create_future()
        if self.speaker.task is None:
            self.speaker.start()
        self.speaker.say(text)
        try:
            return approves(await self._heard_answer(self._answer))
        finally:
            self._answer = None

    async def hear(self, question: str) -> str:
        """Speak `question` and return the user's next words: an `ask` for the interview
        (os1.core.interview). There is no timeout, as in a conversation: the question waits
        until it is answered. EOFError: the input ended first (the interview starts again
        next time)."""
        if self.ended:
            raise EOFError
        self.log.note(EventType.SAID, text=question, question=True)
        answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._answer = answer
        if self.speaker.task is None:
            self.speaker.start()
        self.speaker.say(question)
        try:
            words = await answer
        finally:
            self._answer = None
        if not words and self.ended:
            raise EOFError
        return words

    async def _heard_answer(self, answer: asyncio.Future[str]) -> str:
        """The words that answer, or "" when none came within the timeout. An answer begun by
        then is heard out: cut off, its words would become a turn of their own and the
        question a no (tests/voice/test_voice_confirm.py, when whisper took long over them)."""
        for wait in (self.timeout_s, ANSWER_HEARD_OUT_S):
            try:
                return await asyncio.wait_for(asyncio.shield(answer), wait)
            except TimeoutError:
                if not self.hearing():
                    break
        return ""

    def answered(self, text: str) -> None:
        """The user's next words, heard while the question waits."""
        self.log.note(EventType.TRANSCRIPT, text=text, final=True, answer=True)
        assert self._answer is not None
        self._answer.set_result(text)

    async def listen(self) -> None:
        """The user speaks: quiet the question (the answer is being given), keep the turn."""
        await self.speaker.stop()
        self.speaker.start()

    def unanswered(self) -> None:
        """No more words will come: a question unanswered is a no."""
        if self.asking:
            assert self._answer is not None
            self._answer.set_result("")
