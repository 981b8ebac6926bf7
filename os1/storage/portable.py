"""Export everything about one user as one JSON document, and import it back exactly.

Rows refer to each other by their position in the document ("ref"), never by database ids, so
export -> import -> export gives the same document (but for `exported_at`), in any database.
Import is one transaction: a bad file changes nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import apsw

from os1.errors import InputError

FORMAT, VERSION = "os1-export", 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def export_user(conn: apsw.Connection, user: str) -> dict[str, Any]:
    def q(sql: str) -> list[tuple[Any, ...]]:
        return list(conn.execute(sql, (user,)))

    sessions = q("SELECT id, started_at FROM sessions WHERE user_id=? ORDER BY id")
    sref = {sid: i for i, (sid, _) in enumerate(sessions)}
    messages = q(
        "SELECT id, session_id, role, content, status, meta, created_at FROM messages"
        " WHERE user_id=? ORDER BY id"
    )
    mref = {row[0]: i for i, row in enumerate(messages)}
    memories = q(
        "SELECT id, kind, content, speaker, sources, importance, happened_at, created_at, valid_to,"
        " superseded_by, context FROM memories WHERE user_id=? ORDER BY id"
    )
    memref = {row[0]: i for i, row in enumerate(memories)}

    def source(s: Any) -> Any:
        if isinstance(s, dict) and "message" in s:
            return {"message": mref.get(s["message"])}
        if isinstance(s, dict) and "memory" in s:  # an insight written from other memories
            return {"memory": memref.get(s["memory"])}
        return s

    return {
        "format": FORMAT,
        "version": VERSION,
        "user": user,
        "exported_at": _now(),
        "profile": {k: json.loads(v) for k, v in q("SELECT key, value FROM profile WHERE user_id=? ORDER BY key")},
        "blocks": [
            {"label": r[0], "value": r[1], "limit": r[2], "description": r[3]}
            for r in q("SELECT label, value, char_limit, description FROM blocks WHERE user_id=? ORDER BY label")
        ],
        "sessions": [{"ref": i, "started_at": s[1]} for i, s in enumerate(sessions)],
        "messages": [
            {"ref": i, "session": sref[r[1]], "role": r[2], "content": r[3], "status": r[4],
             "meta": json.loads(r[5]), "created_at": r[6]}
            for i, r in enumerate(messages)
        ],
        "memories": [
            {"ref": i, "kind": r[1], "content": r[2], "speaker": r[3],
             "sources": [source(s) for s in json.loads(r[4])], "importance": r[5],
             "happened_at": r[6], "created_at": r[7], "valid_to": r[8],
             "superseded_by": memref.get(r[9]) if r[9] is not None else None, "context": r[10]}
            for i, r in enumerate(memories)
        ],
    }


def parse(text: str) -> dict[str, Any]:
    """Check a document before anything is written; every problem is a clear InputError."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"The file is not complete JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "is it truncated?",
            fix="Use the whole file that 'os1 memory export' wrote.",
        ) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError("This is not an OS1 export (its 'format' is not 'os1-export').")
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise InputError(f"The export has an invalid version {version!r}.")
    if version > VERSION:
        raise InputError(
            f"The export was made by a newer OS1 (format version {version}; this one reads {VERSION}).",
            fix="Update OS1, then import again.",
        )
    for key in ("profile", "blocks", "sessions", "messages", "memories"):
        expected = dict if key == "profile" else list
        if not isinstance(doc.get(key), expected):
            raise InputError(f"The export is missing its '{key}' section or it has the wrong type.")
    return doc


def import_user(conn: apsw.Connection, user: str, doc: dict[str, Any], *, replace: bool) -> dict[str, int]:
    """Write the document as `user`'s data, in one transaction."""
    has_data = any(
        conn.execute(f"SELECT 1 FROM {t} WHERE user_id=? LIMIT 1", (user,)).fetchone()
        for t in ("messages", "blocks", "profile", "memories")
    )
    if has_data and not replace:
        raise InputError(
            f"User '{user}' already has data; importing would mix two lives.",
            fix="Pass --replace to replace it (export it first if you want to keep a copy).",
        )
    try:
        conn.execute("BEGIN IMMEDIATE")
        for table in ("traces", "messages", "sessions", "blocks", "profile"):
            conn.execute(f"DELETE FROM {table} WHERE user_id=?", (user,))
        conn.execute(
            "DELETE FROM memories_vec WHERE rowid IN (SELECT id FROM memories WHERE user_id=?)", (user,)
        )
        conn.execute("DELETE FROM memories WHERE user_id=?", (user,))
        for key, value in doc["profile"].items():
            conn.execute("INSERT INTO profile VALUES (?, ?, ?)", (user, key, json.dumps(value)))
        for b in doc["blocks"]:
            conn.execute(
                "INSERT INTO blocks VALUES (?, ?, ?, ?, ?, ?)",
                (user, b["label"], b["value"], int(b["limit"]), b.get("description", ""), _now()),
            )
        sids = []
        for s in doc["sessions"]:
            conn.execute("INSERT INTO sessions (user_id, started_at) VALUES (?, ?)", (user, s["started_at"]))
            sids.append(conn.last_insert_rowid())
        mids = []
        for m in doc["messages"]:
            conn.execute(
                "INSERT INTO messages (user_id, session_id, role, content, status, meta, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user, sids[m["session"]], m["role"], m["content"], m["status"],
                 json.dumps(m.get("meta", {})), m["created_at"]),
            )
            mids.append(conn.last_insert_rowid())
        memids = []
        for mem in doc["memories"]:
            sources = [
                {"message": mids[s["message"]]} if isinstance(s, dict) and s.get("message") is not None else s
                for s in mem["sources"]
            ]
            for s in sources:  # refs to memories are only known once all rows exist: checked below
                if isinstance(s, dict) and s.get("memory") is not None and not (
                    isinstance(s["memory"], int) and 0 <= s["memory"] < len(doc["memories"])
                ):
                    raise IndexError(f"a memory source refers to memory {s['memory']!r}")
            conn.execute(
                "INSERT INTO memories (user_id, kind, content, speaker, sources, importance,"
                " happened_at, created_at, valid_to, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (user, mem["kind"], mem["content"], mem.get("speaker", ""), json.dumps(sources),
                 float(mem.get("importance", 0.5)), mem["happened_at"], mem["created_at"],
                 mem.get("valid_to"), str(mem.get("context", ""))),
            )
            memids.append(conn.last_insert_rowid())
        for mem, mid in zip(doc["memories"], memids, strict=True):
            if any(isinstance(s, dict) and s.get("memory") is not None for s in mem["sources"]):
                sources = [
                    {"memory": memids[s["memory"]]} if isinstance(s, dict) and s.get("memory") is not None
                    else ({"message": mids[s["message"]]} if isinstance(s, dict) and s.get("message") is not None else s)
                    for s in mem["sources"]
                ]
                conn.execute("UPDATE memories SET sources=? WHERE id=?", (json.dumps(sources), mid))
            if mem.get("superseded_by") is not None:
                conn.execute(
                    "UPDATE memories SET superseded_by=? WHERE id=?", (memids[mem["superseded_by"]], mid)
                )
        # What was imported has been learned from already: background work starts after it.
        conn.execute("DELETE FROM memory_progress WHERE user_id=?", (user,))
        for task, last in (("facts", mids[-1] if mids else 0), ("reflect", memids[-1] if memids else 0)):
            conn.execute(
                "INSERT INTO memory_progress (user_id, task, last_id, updated_at) VALUES (?, ?, ?, ?)",
                (user, task, last, _now()),
            )
        conn.execute("COMMIT")
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise InputError(
            f"The export is damaged ({type(exc).__name__}: {exc}); nothing was imported."
        ) from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return {"messages": len(mids), "memories": len(memids), "blocks": len(doc["blocks"])}
