"""Voice: a realtime spoken conversation on offline models.

Typed frames flow through small processors (resample, echo gate, VAD, end of turn, STT, sentence
splitter, TTS) around the same core turn as text chat; transports bring audio in and out.
"""
