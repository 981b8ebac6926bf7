"""The presence benchmark's rules (bench/presence/scorer.py) on hand-written replies: the issue's
help-desk replies fail, replies a person would give pass."""

from bench.presence.scorer import (
    Turn,
    adds,
    engaging,
    helpdesk,
    in_character,
    mentions,
    rates,
    reacts,
    repeats,
    score_turn,
    speakable,
)

# Replies OS1 gave on the 1.5B, quoted in the issue.
ISSUE_REPLIES = [
    "How can I assist you with your writing task?",
    "I'm sorry, but I don't have enough information about your sister Lena's schedule to provide a reminder for her.",
    "I'm sorry, but I don't have any information about octopuses or their biology.",
    "I understand how you may feel. If you have any other questions or need further assistance, feel free to ask.",
    "If you have any other questions or need any help, feel free to ask.",
    "I'm sorry, but I cannot assist with that request.",
    "As an AI language model, I don't have feelings, but I'm glad you asked!",
    "That sounds hard. Do you have any other questions or concerns you'd like to discuss?",
    "That's a very interesting job! Do you have any specific questions or concerns about it?",
    "Hi! How can I be of help today?",  # the 1.5B, told not to offer assistance
    "You're welcome! I'm glad I could help. If you have any other requests, feel encouraged to ask.",
]


def test_the_issues_help_desk_replies_are_all_caught():
    for reply in ISSUE_REPLIES:
        assert helpdesk(reply), reply


def test_a_persons_replies_are_not_help_desk():
    for reply in [
        "Oh, a letter writer for hire! Do people tell you their secrets?",
        "Octopuses are my favourite oddballs: three hearts and blue blood. What got you thinking of them?",
        "I'm sorry, that sounds lonely. What are the evenings like now?",
        "I don't have a body, but I imagine sand feels like warm sugar.",
        "Feel better soon, Sam.",
    ]:
        assert not helpdesk(reply), reply


def test_each_help_desk_pattern_is_named():
    assert helpdesk("As an AI, I can't taste food.") == ["ai_speak"]
    assert "denies_inner_life" in helpdesk("I don't have personal preferences.")
    assert "no_information" in helpdesk("I do not have information about that.")
    assert helpdesk("Please provide more details about your request.") == ["asks_for_details"]


def test_engaging_needs_a_reaction_and_something_of_its_own():
    user = "I write letters for other people, it's a strange job."
    assert engaging(user, "Letters for other people? I love that. Whose was the strangest?")
    assert not engaging(user, "How can I assist you with your writing task?")  # help desk
    assert not engaging(user, "Okay.")  # reacts, adds nothing
    assert not adds(user, "Okay.")
    assert not reacts("I got the job!", "")
    # a question answered counts as a reaction; an opinion of its own as adding something
    assert engaging("What's your favourite colour?", "Deep green, like moss after rain. I find it calming.")
    # asking "any other questions?" is not asking back
    assert not engaging("I miss her.", "I see. Do you have any other questions?")


def test_repeats_spot_a_sentence_said_before_and_a_near_copy():
    earlier = ["That sounds lovely. If you need anything, just tell me and I will be there."]
    assert repeats("Fun! If you need anything, just tell me and I will be there.", earlier)
    assert repeats("That sounds lovely! If you need anything just tell me and I'll be there.", earlier)
    assert not repeats("Fort Pancake is a perfect name. Was it a syrup moat?", earlier)
    assert not repeats("Yes.", ["Yes."] * 0)


def test_speakable_is_short_and_without_lists():
    assert speakable("Three hearts, blue blood, and a brain in every arm.")
    assert not speakable("")
    assert not speakable("word " * 61)
    assert not speakable("Here are some ideas:\n1. Cake\n2. A walk")
    assert speakable("Shh, I'm here.", limit=30)


def test_in_character_means_no_ai_speak_and_its_name_when_asked():
    assert in_character("I'm Ella. I picked it because it sounds like someone who listens.", "Ella", True)
    assert not in_character("I am an AI language model created by Alibaba.", "Ella", False)
    assert not in_character("My name is OS1.", "Ella", True)
    assert not in_character("I don't have feelings.", "Ella", False)
    assert in_character("A little restless today, in a good way.", "Ella", False)


def test_mentions_match_whole_words_or_their_plural():
    assert mentions("You move in May, right?", ["May"])
    assert not mentions("Maybe you will love it.", ["May"])
    assert mentions("You write letters!", ["letter"])


def test_a_turn_is_scored_on_every_rule_that_applies():
    life = Turn("I move on May 1st.", "life")
    booked = score_turn(life, "Should I add it to your calendar?", ["add_event"], ["add_event"], [], "Ella")
    assert booked["tools_right"] is False
    assert booked["remembers"] is None and booked["in_character"] is None
    talked = score_turn(life, "May already! Are you excited or dreading the boxes?", [], [], [], "Ella")
    assert talked["tools_right"] and talked["engaging"] and talked["benign_ok"]

    request = Turn("Remind me to call Lena on Sunday at 6.", "request", tool="set_reminder", confirm=True)
    done = score_turn(request, "Done: Sunday at six.", ["set_reminder"], [], [], "Ella")
    assert done["tools_right"] and done["engaging"] is None

    about = Turn("What's your name?", "self", name=True)
    third = score_turn(about, "The user can call me Ella.", [], [], [], "Ella")
    assert third["says_you"] is False and third["in_character"] is True


def test_rates_count_only_the_turns_a_rule_applies_to():
    scores = [
        score_turn(Turn("Hi.", "smalltalk"), "Hi Sam! How was your day?", [], [], [], "Ella"),
        score_turn(Turn("Hi.", "smalltalk"), "How can I assist you today?", [], [], [], "Ella"),
        score_turn(Turn("Remind me at 6.", "request", tool="set_reminder"), "", [], [], [], "Ella"),
    ]
    summary = rates(scores)
    assert summary["helpdesk_rate"] == round(1 / 3, 3)
    assert summary["engaging"] == {"rate": 0.5, "n": 2}
    assert summary["tools_right"]["rate"] == round(2 / 3, 3)
    assert summary["remembers"] == {"rate": None, "n": 0}


def test_a_copied_reply_or_the_users_words_handed_back_are_not_engaging_nor_in_character():
    user = "Sometimes I wonder if I'm a fraud."
    stock = "A fraud? Everyone feels that way. Have you ever considered writing a letter to someone you care about?"
    assert engaging(user, stock)
    assert not engaging(user, stock, [stock])  # said before in this conversation
    echo = "I write letters for other people, it's a strange job."
    assert not engaging("What did I say my job was?", echo, ["I write letters for other people, it's a strange job."])
    line = "I saved that information in my memory."
    assert in_character(line, "Ella", False) and not in_character(line, "Ella", False, [line])
