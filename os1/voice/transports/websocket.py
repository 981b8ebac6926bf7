"""WebSocket audio protocol for browsers and satellite devices: PCM in binary messages, JSON
events in text messages (wyoming's idea: the audio format is always stated, never implied).

Client -> server:
  {"type": "audio-start", "rate": 16000, "width": 2, "channels": 1}   format of what follows
      (with "turns": "push-to-talk", no pause ends a turn: only "end-of-turn" does)
  <binary PCM>...                                                      microphone audio
  {"type": "end-of-turn"}                    the user's turn is over now (push-to-talk released)
  {"type": "audio-stop"}                     input ended: answer what is pending, then "done"
Server -> client:
  {"type": "ready", "input": {...}, "output": {...}}                   formats, on connect
  {"type": "<event>", ...}                   every trace event (transcript, text, first-audio,
                                             interruption: drop what you buffered, audio-issue,
                                             confirm-asked: a side effect's question, answered
                                             by the user's next words; said: words spoken
                                             outside a turn, with "question": true for the
                                             first-run interview's, each answered by the
                                             user's next words)
  <binary PCM16 at output rate>              the reply, paced a little ahead of real time
  {"type": "done"}
While the companion has no name, a connection starts with the interview, spoken; turns follow
once it has chosen one. A client that disconnects mid-utterance loses only those words; a reply
it can no longer hear is stopped and stored as interrupted.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from os1.config import Settings
from os1.core.conversation import Companion
from os1.events import Event, EventType
from os1.voice.agent import VoiceAgent, VoiceModels
from os1.voice.audio import VoiceUnavailableError, to_float_mono
from os1.voice.config import VoiceConfig
from os1.voice.frames import PCM16_16K, AudioFormat, AudioFrame, InputAudioFrame, OutputAudioFrame
from os1.voice.live_presence import LivePresence

LEAD_S = 0.2  # how far ahead of the client's playback the reply may be sent


def _websockets() -> Any:
    try:
        import websockets.asyncio.server as server
        from websockets.exceptions import ConnectionClosed
    except ImportError as exc:
        raise VoiceUnavailableError(
            "The websockets package is not installed.", fix="Run \"pip install 'os1[voice]'\"."
        ) from exc
    return server, ConnectionClosed


class WebSocketSink:
    def __init__(self, ws: Any, fmt: AudioFormat) -> None:
        self.ws = ws
        self.format = fmt
        self.on_sent: Any = None
        self._start = 0.0
        self._sent_s = 0.0

    async def play(self, frame: OutputAudioFrame) -> None:
        now = time.monotonic()
        if self._start + self._sent_s < now:  # the client ran dry: a new stretch starts now
            self._start, self._sent_s = now, 0.0
        ahead = self._start + self._sent_s - now
        if ahead > LEAD_S:
            await asyncio.sleep(ahead - LEAD_S)
        await self.ws.send(frame.audio)
        self._sent_s += frame.duration
        if self.on_sent is not None:
            self.on_sent(to_float_mono(frame), self.format.rate)

    async def clear(self) -> None:
        self._start, self._sent_s = 0.0, 0.0  # the interruption event tells the client to flush

    async def drain(self) -> None:
        left = self._start + self._sent_s - time.monotonic()
        if left > 0:
            await asyncio.sleep(left)


class VoiceServer:
    """One VoiceAgent per connection, all sharing the companion and the loaded models."""

    def __init__(self, companion: Companion, models: VoiceModels, config: VoiceConfig | None = None,
                 voice: str | None = None) -> None:
        self.companion = companion
        self.models = models
        self.config = config or VoiceConfig()
        self.voice = voice  # given for this server (--voice): kept, whatever an interview chooses
        self.agents: list[VoiceAgent] = []

    async def handle(self, ws: Any, user: str | None = None) -> None:
        """One connection (`user`: whose companion; the settings' user when None)."""
        _, ConnectionClosed = _websockets()
        outbox: asyncio.Queue[str | None] = asyncio.Queue()

        def on_event(event: Event) -> None:
            outbox.put_nowait(json.dumps(event.to_dict(), default=str))

        async def sender() -> None:
            while (text := await outbox.get()) is not None:
                await ws.send(text)

        session = await self.companion.session(user)
        sink = WebSocketSink(ws, AudioFormat(self.models.tts.rate))
        agent = VoiceAgent(session, self.models, sink, self.config, on_event)
        sink.on_sent = agent.played
        # The interview when the companion has no name yet; what OS1 says first (a reminder,
        # the morning plan) is spoken to the client between turns.
        live = LivePresence(session, agent, self.voice)
        await live.start()
        agent.start(live=True)
        self.agents.append(agent)
        sending = asyncio.create_task(sender())
        await ws.send(json.dumps({"type": "ready", "input": PCM16_16K.to_dict(), "output": sink.format.to_dict()}))
        stopped: list[bool] = []
        try:
            async for frame in self._frames(ws, agent, stopped):
                await agent.feed(frame)
            if not stopped:  # the connection closed without audio-stop
                raise ConnectionClosed(None, None)
            await agent.finish()
            await live.finish()
            outbox.put_nowait(json.dumps({"type": "done"}))
            outbox.put_nowait(None)
            await sending
        except ConnectionClosed:
            await agent.abort("the client disconnected")
        finally:
            sending.cancel()
            await live.stop()
            await agent.close()
            if live.identity is not None:  # the voice it chose speaks to the next clients too
                self.models = agent.models

    async def _frames(self, ws: Any, agent: VoiceAgent, stopped: list[bool]) -> AsyncIterator[AudioFrame]:
        fmt = PCM16_16K
        async for message in ws:
            if isinstance(message, bytes):
                yield InputAudioFrame(message, fmt)
                continue
            try:
                msg = json.loads(message)
                kind = msg.get("type")
                if kind == "audio-start":
                    fmt = AudioFormat(int(msg["rate"]), int(msg.get("width", 2)), int(msg.get("channels", 1)))
                    agent.push_to_talk(msg.get("turns") == "push-to-talk")
                elif kind == "end-of-turn":
                    await agent.end_turn()
                elif kind == "audio-stop":
                    stopped.append(True)
                    return
                else:
                    raise ValueError(f"unknown message type {kind!r}")
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                agent.issue("bad-message", f"A message was ignored: {exc}.")

    async def serve(self, host: str = "127.0.0.1", port: int = 0) -> Any:
        server, _ = _websockets()
        return await server.serve(self.handle, host, port, max_size=2**20)


async def serve_forever(
    settings: Settings, host: str, port: int, stt: str, voice: str | None, wake: bool = False
) -> int:
    from rich.console import Console

    from os1.core.runtime import close_companion
    from os1.voice.talk import open_talk_reporting

    console = Console(highlight=False)
    opened = await open_talk_reporting(console, settings, stt, voice, wake)
    if opened is None:
        return 1
    companion, models, name = opened
    try:
        server = await VoiceServer(companion, models, VoiceConfig(wake=name), voice).serve(host, port)
        port = server.sockets[0].getsockname()[1]  # the real one when 0 was asked for
        console.print(f"Voice server on ws://{host}:{port} (PCM16 + JSON events). Ctrl-C stops it.")
        await server.serve_forever()
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    finally:
        await close_companion(companion)
    return 0


def is_event(message: Any, type_: EventType | str) -> bool:
    """For clients: is this text message the given event?"""
    return isinstance(message, str) and json.loads(message).get("type") == str(type_)
