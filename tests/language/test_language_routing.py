"""The routing table: named rules, each offering tools that exist, every routed tool in a rule.
(Which turn gets which tool is specified in tests/test_routing.py.)"""

from os1.core.tools import Routed
from os1.language import routing
from os1.language.routing import Routes, Rule, Turn
from os1.plugins import tools as registered_tools


def test_every_rule_offers_registered_tools_and_every_routed_tool_has_a_rule():
    tools = registered_tools()
    named = {name for rule in routing.RULES for name in rule.tools}
    assert named <= set(tools)
    routed = {name for name, t in tools.items() if isinstance(t.prepare, Routed)}
    assert routed == named
    assert len({rule.name for rule in routing.RULES}) == len(routing.RULES)


def test_a_rule_offers_on_its_words_on_the_answer_and_after_its_task():
    rule = Rule("mail", r"\bmail\b", frozenset({"mail_read"}), after=frozenset({"mail_new"}))
    assert rule.fits(Turn("read my mail")) and not rule.fits(Turn("what does she say?"))
    assert rule.fits(Turn("what does she say?", called=frozenset({"mail_new"})))
    assert rule.fits(Turn("the one from Amy", previous="read my mail"))  # answers "Which one?"
    assert not rule.fits(Turn("is it raining?", previous="read my mail"))  # a new question
    quiet = Rule("mail", r"\bmail\b", frozenset({"mail_read"}), answers=False)
    assert not quiet.fits(Turn("the one from Amy", previous="read my mail"))


def test_the_table_answers_for_a_turn():
    assert routing.offered("Remind me to call my mother") == {"set_reminder"}
    assert routing.offered("Tell me a joke.") == set()
    routes = Routes((Rule("a", "x", frozenset({"t1"})), Rule("b", "y", frozenset({"t1", "t2"}))))
    assert routes.offers("t1", Turn("y")) and not routes.offers("t2", Turn("x"))
    assert routes.routed("t2") and not routes.routed("t3")
