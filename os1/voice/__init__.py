"""Voice: a realtime spoken conversation on offline models.

Typed frames (frames.py) flow through small processors, each with one job — listening.py (input
conditioning, echo gate, VAD), turns.py (end of turn), transcribing.py (words and drafts),
wake.py (the wake gate), confirm.py (spoken consent), responding.py (prefill, the reply spoken
sentence by sentence, retraction and barge-in) — wired by agent.py around the same core turn as
text chat; transports bring audio in and out.
"""
