import pytest

from os1.errors import ModelProtocolError
from os1.models.stream import StreamAssembler, parse_tool_calls

TOOLS = {"get_weather", "save_note"}


def chunk(content=None, finish=None, tool_calls=None):
    delta = {}
    if content is not None:
        delta["content"] = content
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def run(assembler, raws):
    out = []
    for raw in raws:
        out.extend(assembler.feed(raw))
    return out


def test_plain_text_streams_through_immediately():
    a = StreamAssembler(TOOLS)
    first = a.feed(chunk("Hello"))
    assert [c.text for c in first] == ["Hello"]
    rest = run(a, [chunk(" there"), chunk(finish="stop")])
    assert "".join(c.text for c in first + rest) == "Hello there"
    assert rest[-1].finish_reason == "stop" and not rest[-1].tool_calls


def test_bare_json_tool_call_in_text_is_parsed_not_shown():
    a = StreamAssembler(TOOLS)
    out = run(a, [chunk('{"name": "get_'), chunk('weather", "arguments": {"city": "Paris"}}'),
                  chunk(finish="stop")])
    assert all(not c.text for c in out)
    call = out[-1].tool_calls[0]
    assert (call.name, call.arguments) == ("get_weather", {"city": "Paris"})
    assert out[-1].finish_reason == "tool_calls"


@pytest.mark.parametrize(
    "text",
    [
        '<tool_call>\n{"name": "save_note", "arguments": {"title": "a", "text": "b"}}\n</tool_call>',
        '```json\n{"name": "save_note", "arguments": "{\\"title\\": \\"a\\", \\"text\\": \\"b\\"}"}\n```',
        '[{"type": "function", "function": {"name": "save_note", "parameters": {"title": "a", "text": "b"}}}]',
    ],
)
def test_tool_call_formats(text):
    calls = parse_tool_calls(text, TOOLS)
    assert [(c.name, c.arguments) for c in calls] == [("save_note", {"title": "a", "text": "b"})]


def test_json_that_is_not_a_known_tool_is_the_reply():
    a = StreamAssembler(TOOLS)
    out = run(a, [chunk('{"name": "launch_rockets"}'), chunk(finish="stop")])
    assert "".join(c.text for c in out) == '{"name": "launch_rockets"}'
    assert not out[-1].tool_calls


def test_native_tool_call_deltas_are_assembled():
    a = StreamAssembler(TOOLS)
    out = run(a, [
        chunk(tool_calls=[{"index": 0, "id": "c1", "function": {"name": "get_weather", "arguments": '{"ci'}}]),
        chunk(tool_calls=[{"index": 0, "function": {"arguments": 'ty": "Oslo"}'}}]),
        chunk(finish="tool_calls"),
    ])
    call = out[-1].tool_calls[0]
    assert (call.id, call.name, call.arguments) == ("c1", "get_weather", {"city": "Oslo"})
    assert a.close() == []  # the stream's end ([DONE]) delivers nothing more: the call ran once


def test_junk_chunk_is_a_protocol_error():
    with pytest.raises(ModelProtocolError) as err:
        StreamAssembler(TOOLS).feed({"unexpected": True})
    assert "OpenAI-compatible" in err.value.fix


def test_without_tools_json_text_streams():
    a = StreamAssembler()
    assert a.feed(chunk("{")) [0].text == "{"


@pytest.mark.parametrize("opening", ["[Sat 21", "<b>Hi", "`code` is", "[link](x)"])
def test_text_that_cannot_be_a_call_is_not_held_back(opening):
    a = StreamAssembler(TOOLS)
    out = a.feed(chunk(opening))
    assert "".join(c.text for c in out) == opening


def test_short_reply_still_undecided_at_the_end_is_delivered():
    a = StreamAssembler(TOOLS)
    out = run(a, [chunk("["), chunk(finish="stop")])
    assert "".join(c.text for c in out) == "["


def test_calls_in_tools_tags_and_xml_style_in_written_order():
    text = ('<save_note title="Tea &amp; cake" text="buy both"/>\n<tools>\n'
            '{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tools>')
    calls = parse_tool_calls(text, TOOLS)
    assert [(c.name, c.arguments) for c in calls] == [
        ("save_note", {"title": "Tea & cake", "text": "buy both"}), ("get_weather", {"city": "Oslo"})
    ]


@pytest.mark.parametrize("opening", ["<tools>\n", "<save_note ", "<tool"])
def test_tool_openings_are_held_back(opening):
    assert StreamAssembler(TOOLS).feed(chunk(opening)) == []


def test_a_garbled_tool_call_is_a_failed_call_not_words():
    a = StreamAssembler(TOOLS)
    garbled = '{"name": "save_note", "arguments: {title: "groceries", text: "milk"}'
    out = run(a, [chunk(garbled[:20]), chunk(garbled[20:]), chunk(finish="stop")])
    assert all(not c.text for c in out)  # nothing shown or spoken
    call = out[-1].tool_calls[0]
    assert call.name == "save_note" and call.arguments == {"_unparsed": garbled}
    assert out[-1].finish_reason == "tool_calls"
    assert call.to_message()["function"]["arguments"] == "{}"  # not fed back for the model to copy


def test_json_looking_words_without_a_tool_name_stay_words():
    a = StreamAssembler(TOOLS)
    out = run(a, [chunk("{not json, just braces} and a smile"), chunk(finish="stop")])
    assert "".join(c.text for c in out) == "{not json, just braces} and a smile"
    assert not out[-1].tool_calls


async def test_the_model_is_told_its_garbled_call_did_nothing():
    from os1.core.tools import tool
    from os1.errors import ToolError

    @tool()
    async def save_note(ctx, title: str, text: str) -> str:
        """Save a note."""
        raise AssertionError("must not run")

    with pytest.raises(ToolError, match="not valid JSON, so nothing was done"):
        save_note.validate({"_unparsed": '{"name": "save_note", "arguments: {'})


def test_the_guard_withholds_a_call_written_as_text_and_passes_words():
    from os1.models.stream import CallTextGuard

    g = CallTextGuard(TOOLS)
    written = '{"name": "save_note", "arguments": {"title": "x"}}'
    assert g.feed(written[:10]) == "" and g.feed(written[10:]) == ""
    assert g.flush() == "" and g.withheld
    g = CallTextGuard(TOOLS)
    assert g.feed("Sure") == "Sure" and g.feed(", done.") == ", done." and g.flush() == ""
    assert not g.withheld
    g = CallTextGuard(TOOLS)
    assert g.feed("{not a call} really") == ""
    assert g.flush() == "{not a call} really" and not g.withheld
    assert CallTextGuard(set()).feed('{"name": "save_note"}') == '{"name": "save_note"}'


def test_a_call_to_an_invented_tool_is_a_failed_call_not_words():
    # The 0.5B answered "What time is it?" with a get_time call (no such tool) copying a schema.
    a = StreamAssembler(TOOLS)
    text = '{"name": "get_time", "arguments": {"additionalProperties": false, "properties": {'
    out = run(a, [chunk(text), chunk(finish="length")])
    assert all(not c.text for c in out)
    assert out[-1].tool_calls[0].name == "get_time"  # the core answers: no tool named 'get_time'


def test_the_embedded_model_gets_its_tools_after_the_history():
    """The system message and the history stay as the last turn left them (cached); only the
    block naming this step's tools is new, and the grammar admits calls to those tools only."""
    from os1.models.grammar import reply_grammar, with_tools_late

    tool = {"type": "function", "function": {"name": "save_note", "description": "Save a note.",
                                             "parameters": {"type": "object", "properties": {}}}}
    history = [{"role": "system", "content": "persona"}, {"role": "user", "content": "hi"},
               {"role": "assistant", "content": "hello"}, {"role": "user", "content": "note this"},
               {"role": "tool", "tool_call_id": "a", "content": "Saved."}]
    shown = with_tools_late(history, [tool])
    assert shown[:3] == history[:3] and shown[4:] == history[3:]  # before the turn's user message
    assert shown[3]["role"] == "system" and '"name": "save_note"' in shown[3]["content"]
    assert with_tools_late(history, []) == history
    grammar = reply_grammar([tool], (151657, 151658))
    assert '"const": "save_note"' in grammar and "<[151657]>" in grammar
    assert "call" not in reply_grammar([], (151657, 151658))  # words only


def test_the_prompt_shows_what_arguments_mean_and_the_grammar_keeps_their_bounds():
    """Bounds cost the model tokens to read before every turn that offers the tool; the
    grammar enforces them whatever the prompt says."""
    from os1.models.grammar import reply_grammar, shown_tool, with_tools_late
    from os1.skills.notes.tools import save_note
    from os1.skills.reminders.tools import set_reminder

    schema = save_note.schema()
    args = schema["function"]["parameters"]["properties"]
    assert args["text"]["maxLength"] == 100000  # what the grammar is given
    assert set(shown_tool(schema)["function"]["parameters"]["properties"]) == set(args) >= {"title", "text"}
    # an argument named like a bound is an argument: it stays
    bounded = {"type": "object", "properties": {"maximum": {"type": "integer", "maximum": 5, "default": ""}}}
    assert shown_tool(bounded) == {"type": "object", "properties": {"maximum": {"type": "integer"}}}
    note = [{"role": "user", "content": "note this"}]
    block = with_tools_late(note, [schema, set_reminder.schema()])[0]["content"]
    assert "maxLength" not in block and "additionalProperties" not in block and '"default": ""' not in block
    assert '"description": "the note\'s text"' in block and '"required": ["title", "text"]' in block
    assert '"maxLength": 100000' in reply_grammar([schema], (151657, 151658))



@pytest.mark.parametrize(("parts", "shown"), [
    (["Sure! ", "mail", "_read", "?message", "=1"], "Sure! "),
    (["Here: ", '{"name"', ': "save_note", "arguments": {"title": "x"}}'], "Here: "),
    (["Ok ", "<tool_call>", '{"name": "save_note"}'], "Ok "),
    (["Done. save_note(title='x', text='y')"], "Done. "),
])
def test_the_guard_withholds_a_call_written_in_the_middle_of_a_reply(parts, shown):
    from os1.models.stream import CallTextGuard

    g = CallTextGuard(TOOLS | {"mail_read"})
    out = "".join(g.feed(p) for p in parts) + g.flush()
    assert out == shown and g.withheld


def test_the_guard_holds_only_a_word_that_may_become_a_call():
    from os1.models.stream import CallTextGuard

    g = CallTextGuard(TOOLS | {"mail_read"})
    assert g.feed("I read your ") == "I read your "
    assert g.feed("mail") == ""  # may still be mail_read?…
    assert g.feed(" today.") == "mail today." and g.flush() == "" and not g.withheld


def test_calls_written_like_an_address_or_code_are_read():
    names = TOOLS | {"mail_read", "mail_search"}
    [call] = parse_tool_calls("mail_search?query=subject:Summarize email #1\nthen", names)
    assert (call.name, call.arguments) == ("mail_search", {"query": "subject:Summarize email #1"})
    [call] = parse_tool_calls("mail_read?message=1", names)
    assert call.arguments == {"message": 1}
    [call] = parse_tool_calls('mail_read({"message": 3})', names)
    assert call.arguments == {"message": 3}
    assert parse_tool_calls("what is mail? a letter (sent)", names) == []


def test_a_call_opening_after_punctuation_is_a_call():
    # The embedded grammar forbids a bracket first; the 0.5B wrote a comma, then the call.
    a = StreamAssembler(TOOLS)
    out = run(a, [chunk(',{"name": "save_note", '), chunk('"arguments": {"title": "x", "text": "y"}}'),
                  chunk(finish="stop")])
    assert all(not c.text for c in out)
    assert out[-1].tool_calls[0].name == "save_note"
