"""Proofreading: every rule named and tested on a mistake it must find and a good sentence it
must leave alone; spelling from the real Hunspell dictionary; the user's words and names kept;
nothing changed without a yes."""

import pytest

from os1.language.proofreading import proofread_text, rules
from os1.language.proofreading.changes import apply
from os1.language.proofreading.spelling import Speller
from tests.cli_helpers import os1, out

# (rule, a mistake it finds → the fix, a good sentence near it that it leaves alone)
CASES = [
    ("your_are", "I hope your well.", "I hope you're well.", "I hope your garden is well."),
    ("youre_own", "Tell me about you're new job.", "Tell me about your new job.", "I know you're new here."),
    ("its_is", "Its a lovely day.", "It's a lovely day.", "The dog wagged its tail."),
    ("it_is_own", "The town has it's own charm.", "The town has its own charm.", "It's late."),
    ("their_is", "Their is a bench by the lake.", "There is a bench by the lake.", "Their bench is by the lake."),
    ("their_going", "I think their going home.", "I think they're going home.", "Their going-away party was fun."),
    ("there_own", "They built there own house.", "They built their own house.", "There was a house."),
    ("then_than", "She is kinder to you then to me.", "She is kinder to you than to me.", "It got better and then worse."),
    ("than_then", "We ate and than we walked.", "We ate and then we walked.", "More than ever."),
    ("to_too", "It was to late to call.", "It was too late to call.", "I went to bed early."),
    ("too_verb", "I can't wait too see you.", "I can't wait to see you.", "It was too late."),
    ("wonder_weather", "I am not sure weather we can come.", "I am not sure whether we can come.", "I know weather is odd."),
    ("to_here", "I can't wait to here all about it.", "I can't wait to hear all about it.", "Come to here, then."),
    ("i_were", "I were sorry to hear it.", "I was sorry to hear it.", "If I were you."),
    ("me_to", "I miss you. She misses you to.", "I miss you. She misses you too.", "Give it to me."),
    ("could_of", "I could of called.", "I could have called.", "The best of friends."),
    ("to_loose", "I don't want to loose you.", "I don't want to lose you.", "A loose thread."),
    ("an_affect", "It had a lasting affect on me.", "It had a lasting effect on me.", "It will affect us."),
    ("pronoun_where", "We where so happy.", "We were so happy.", "Where were we?"),
    ("were_is", "Tell me were is the key.", "Tell me where is the key.", "We were home."),
    ("weather_or", "I wonder weather or not to go.", "I wonder whether or not to go.", "The weather was fine."),
    ("hear_here", "Come over hear.", "Come over here.", "I can hear you."),
    ("here_hear", "I was glad to here that.", "I was glad to hear that.", "I am here."),
    ("right_know", "I am busy right know.", "I am busy right now.", "I know it."),
    ("dont_no", "I don't no what to say.", "I don't know what to say.", "No, thank you."),
    ("the_passed", "In the passed year we grew.", "In the past year we grew.", "She passed the test."),
    ("except_apology", "Please except my apology.", "Please accept my apology.", "All except Tom."),
    ("quiet_a", "It was quiet a day.", "It was quite a day.", "A quiet day."),
    ("whos_thing", "Who's car is that?", "Whose car is that?", "Who's there?"),
    ("thank_you_for_you", "Thank you for you kind letter.", "Thank you for your kind letter.", "This is for you."),
    ("you_letter", "I loved you letter.", "I loved your letter.", "I sent you flowers."),
    ("piece_of_mind", "It gives me piece of mind.", "It gives me peace of mind.", "A piece of cake."),
    ("peace_of_cake", "It was a peace of cake.", "It was a piece of cake.", "Peace of mind."),
    ("he_go", "He go to the market.", "He goes to the market.", "Does he go to the market?"),
    ("everyone_are", "Everyone are well.", "Everyone is well.", "We are well."),
    ("i_has", "I has a new job.", "I have a new job.", "Do I have a job?"),
    ("we_was", "We was so glad.", "We were so glad.", "It was so glad."),
    ("you_was", "You was right.", "You were right.", "Writing to you was a joy."),
    ("he_were", "He were kind.", "He was kind.", "If he were here."),
    ("plural_noun_is", "The roses is lovely.", "The roses are lovely.", "The news is lovely."),
    ("there_is_many", "There is many reasons.", "There are many reasons.", "There is a reason."),
    ("this_plural", "I miss this days.", "I miss these days.", "I miss this day."),
    ("these_singular", "These kind of days are rare.", "This kind of days are rare.", "These days are rare."),
    ("doubled_word", "It was the the best day.", "It was the best day.", "I had had enough."),
    ("a_an", "I ate a apple and an pear.", "I ate an apple and a pear.", "An hour, a unicorn, an FBI agent."),
    ("space_before_punctuation", "Dear Amy , hello !", "Dear Amy, hello!", "Dear Amy, hello!"),
    ("space_after_punctuation", "Yes,please.", "Yes, please.", "It cost 1,000 dollars."),
    ("space_after_full_stop", "It rained.I stayed in.", "It rained. I stayed in.", "See example.com today."),
    ("doubled_punctuation", "Hello,, Amy..", "Hello, Amy.", "Wait... what?"),
    ("lower_i", "Yesterday i went out and i'm tired.", "Yesterday I went out and I'm tired.", "That is, i.e. me."),
    ("sentence_capital", "It rained. we stayed in.", "It rained. We stayed in.", "Meet at 5 p.m. tomorrow."),
]


@pytest.mark.parametrize(("name", "wrong", "right", "good"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_finds_its_mistake_and_leaves_good_text_alone(name, wrong, right, good):
    found = rules.check(wrong)
    assert name in {c.rule for c in found}, found
    assert apply(wrong, [c for c in found if c.rule == name]) == right
    assert [c for c in rules.check(good) if c.rule == name] == []


def test_every_rule_has_a_case():
    assert {r.name for r in rules.RULES} == {c[0] for c in CASES}


def test_spelling_uses_the_dictionary_and_the_users_words():
    speller = Speller("en_US", {"Theo", "Ghibli"})
    found = speller.check("Dear Amy, I recieved the Ghibli poster. Theo's cat says hi. NASA called. Room 12b.")
    assert [(c.original, c.replacement) for c in found] == [("recieved", "received")]
    assert Speller("en_GB").check("My favourite colour.") == []
    assert [c.original for c in Speller("en_US").check("My favourite colour.")] == ["favourite", "colour"]


def test_contractions_and_a_clean_letter_are_left_alone():
    letter = ("Dear Loretta,\n\nI can't believe it's been fifty years since you and Chris met at the bus stop. "
              "We're all so proud of you both, and I'd love to hear the story again.\n\nWith love,\nTheodore")
    assert proofread_text(letter, own_words={"Loretta"}) == []


def test_changes_do_not_overlap_and_only_accepted_ones_are_made():
    text = "Their going to the the lake."
    found = proofread_text(text)
    assert [c.rule for c in found] == ["their_going", "doubled_word"]
    assert apply(text, found[1:]) == "Their going to the lake."


def test_proofread_asks_for_each_change_and_writes_only_the_accepted(tmp_path):
    r = os1("letters", "add", "--to", "Amy", "--date", "2026-03-03",
            stdin="Dear Amy,\n\nIts been to long. I recieved you letter.\n\nLove,\nTheodore Twombly")
    assert r.returncode == 0, out(r)
    listed = out(os1("letters", "proofread", "1", "--list"))
    assert "'Its' → \"It's\"" in listed and "Twombly" in listed  # a name it doesn't know yet
    r = os1("letters", "proofread", "1", stdin="y\nn\ny\ny\na\n")
    assert "3 change(s) made, 2 left" in out(r), out(r)
    body = out(os1("letters", "show", "1"))
    assert "It's been to long. I received your letter." in body
    assert "Twombly" in out(os1("letters", "words"))  # added to the word list: not asked again
    assert "Twombly" not in out(os1("letters", "proofread", "1", "--list"))


def test_the_dialect_is_the_users_choice():
    assert "Spelling: auto" in out(os1("letters", "dialect"))
    assert "Spelling: en_GB" in out(os1("letters", "dialect", "en_GB"))
    os1("letters", "add", "--to", "Amy", stdin="Dear Amy, what a colourful day.")
    assert "No changes" in out(os1("letters", "proofread", "1", "--list"))
    os1("letters", "dialect", "en_US")
    assert "'colourful' → 'colorful'" in out(os1("letters", "proofread", "1", "--list"))
    assert os1("letters", "dialect", "fr_FR").returncode != 0
