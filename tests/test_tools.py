from typing import Annotated

import pytest
from pydantic import Field

from os1.core.tools import tool
from os1.errors import ToolError
from os1.skills.notes.tools import save_note


@tool(confirm=True)
def send_message(ctx, to: Annotated[str, Field(description="recipient")], count: int = 1) -> str:
    """Send a message."""
    return f"sent {count} to {to}"


def test_schema_comes_from_signature_and_docstring():
    fn = send_message.schema()["function"]
    assert fn["name"] == "send_message"
    assert fn["description"] == "Send a message."
    props = fn["parameters"]["properties"]
    assert props["to"] == {"description": "recipient", "type": "string"}
    assert props["count"]["type"] == "integer"
    assert fn["parameters"]["required"] == ["to"]
    assert send_message.confirm is True


async def test_run_validates_arguments():
    assert await send_message.run(None, {"to": "amy", "count": "2"}) == "sent 2 to amy"
    with pytest.raises(ToolError, match="count"):
        await send_message.run(None, {"to": "amy", "count": "many"})
    with pytest.raises(ToolError, match="to"):
        send_message.validate({})


def test_tool_without_docstring_is_refused():
    with pytest.raises(TypeError, match="docstring"):
        @tool
        def nodoc(ctx, x: str) -> str:
            return x


def test_builtin_side_effects_are_declared():
    assert save_note.confirm is True


def test_unknown_arguments_are_refused():
    with pytest.raises(ToolError, match="Extra inputs"):
        send_message.validate({"to": "amy", "colour": "red"})
    assert send_message.schema()["function"]["parameters"]["additionalProperties"] is False


def test_a_copied_schema_is_told_apart_from_values():
    echo = {"additionalProperties": False, "properties": {"to": {"type": "string"}}, "type": "object"}
    with pytest.raises(ToolError, match="copy its description instead of giving values"):
        send_message.validate(echo)


def test_schema_words_copied_beside_values_are_dropped():
    # The 0.5B wrote save_note(title=..., text=..., type="object"); refusing it sent it spiralling.
    assert dict(send_message.validate({"to": "amy", "type": "object", "required": ["to"]})) == {"to": "amy", "count": 1}
    assert send_message.cleaned({"to": "amy", "type": "object"}) == {"to": "amy"}


async def test_a_tool_offered_on_words_goes_on_the_turn_after_its_task(settings, store):
    """A routing rule offers its tools on turns whose words match, and also on the turn after
    one of its `after` tools was called (the next words go on with the task without naming it)."""
    from os1.core.tools import Routed, ToolContext
    from os1.language.routing import Routes, Rule, Turn

    rule = Rule("mail", r"\bmail\b", frozenset({"mail_read"}), after=frozenset({"mail_new", "mail_read"}))

    @tool(prepare=Routed(routes=Routes((rule,))))
    def mail_read(ctx, message: int) -> str:
        """Show one email."""
        return ""

    ctx = ToolContext("tester", 1, store, settings)
    assert await mail_read.offered(ctx)  # there in every session
    assert await mail_read.offered(ctx, Turn("read my mail"))
    assert not await mail_read.offered(ctx, Turn("what does she say?"))
    assert await mail_read.offered(ctx, Turn("what does she say?", called=frozenset({"mail_new"})))
    assert not await mail_read.offered(ctx, Turn("what does she say?", called=frozenset({"set_reminder"})))
