"""Writes bench/data/time_requests.json: natural-language scheduling requests with the exact
date, time, zone and recurrence they mean, against a fixed 'now' (Sat 21 Nov 2026, 14:05,
Europe/Berlin). Conventions are those of os1/skills/calendar/resolve.py (stated there); "date" is the date
of the first occurrence."""

import json
from pathlib import Path

B = "Europe/Berlin"
A, R, C = "add_event", "set_reminder", "move_event"


def ev(text, date, time, zone=B, rrule=None, tool=A):
    return {"text": text, "tool": tool, "date": date, "time": time, "zone": zone, "rrule": rrule}


def ask(text, tool=A):
    return {"text": text, "tool": tool, "ask": True}


REQUESTS = [
    # -- one-off events ---------------------------------------------------------------------
    ev("Add lunch with Amy next Tuesday at one", "2026-11-24", "13:00"),
    ev("Put a dentist appointment on my calendar for Monday at 9am", "2026-11-23", "09:00"),
    ev("Schedule a call with Ben tomorrow at 3pm", "2026-11-22", "15:00"),
    ev("Add a meeting with the landlord on Wednesday at 10:30", "2026-11-25", "10:30"),
    ev("Dinner with Sara on Friday at 8pm, please add it", "2026-11-27", "20:00"),
    ev("Add 'haircut' on Thursday at 11am", "2026-11-26", "11:00"),
    ev("Book yoga class on Sunday at 10am in my calendar", "2026-11-22", "10:00"),
    ev("Put 'team review' on December 3rd at 2pm", "2026-12-03", "14:00"),
    ev("Add a doctor's appointment on 15 December at 8:45", "2026-12-15", "08:45"),
    ev("Add coffee with Leo next Friday at 9", "2026-11-27", "09:00"),
    ev("Schedule the quarterly planning on January 12 at 10am", "2027-01-12", "10:00"),
    ev("Add piano lesson on Tuesday at 5pm", "2026-11-24", "17:00"),
    ev("Add a reminder-free event: car service on Monday at 8am", "2026-11-23", "08:00"),
    ev("Put lunch with my sister on Saturday at noon on the calendar", "2026-11-28", "12:00"),
    ev("Add a movie night tomorrow at 7pm", "2026-11-22", "19:00"),
    ev("Add the parents' evening at school on Thursday at 6:30pm", "2026-11-26", "18:30"),
    ev("Add 'pay rent' on December 1 at 9am", "2026-12-01", "09:00"),
    ev("Schedule a run with Tom on Monday at 7am", "2026-11-23", "07:00"),
    ev("Add a video call with grandma on Sunday at 4pm", "2026-11-22", "16:00"),
    ev("Add 'submit report' on Friday at 17:00", "2026-11-27", "17:00"),
    ev("Add a job interview on Wednesday at 14:30", "2026-11-25", "14:30"),
    ev("Add brunch with Mia on Sunday at 11am", "2026-11-22", "11:00"),
    ev("Add a meeting with the accountant on 2026-12-09 at 10:00", "2026-12-09", "10:00"),
    ev("Add drinks with the team on Thursday at 6pm", "2026-11-26", "18:00"),
    ev("Add a vet appointment for the cat on Tuesday at 9:15am", "2026-11-24", "09:15"),
    ev("Add Christmas dinner on December 24 at 7pm", "2026-12-24", "19:00"),
    ev("Add 'call the bank' tomorrow at 10am", "2026-11-22", "10:00"),
    ev("Add a lunch meeting with Priya in 3 days at 12:30", "2026-11-24", "12:30"),
    ev("Add 'gym' on Monday at 6pm", "2026-11-23", "18:00"),
    ev("Add a parent-teacher meeting on December 10th at 4pm", "2026-12-10", "16:00"),
    ev("Add the book club on Wednesday at 7:30pm", "2026-11-25", "19:30"),
    ev("Add New Year's Eve party on December 31 at 9pm", "2026-12-31", "21:00"),
    ev("Add a meeting with Jonas on Friday at 11:30am", "2026-11-27", "11:30"),
    ev("Add 'flight to Lisbon' on December 18 at 6:40am", "2026-12-18", "06:40"),
    ev("Put a massage on Saturday at 3pm", "2026-11-28", "15:00"),
    ev("Add breakfast with Dad tomorrow at 8", "2026-11-22", "08:00"),
    ev("Add an eye exam on Thursday at quarter past ten", "2026-11-26", "10:15"),
    ev("Add a call with the plumber on Monday at half past eight in the morning", "2026-11-23", "08:30"),
    ev("Add 'concert' on December 5 at 8pm", "2026-12-05", "20:00"),
    ev("Add a meeting with my tutor next Tuesday at 4pm", "2026-11-24", "16:00"),
    # -- other time zones -------------------------------------------------------------------
    ev("Add a call with the New York office on Monday at 9am New York time", "2026-11-23", "09:00", "America/New_York"),
    ev("Schedule a meeting with Kenji on Tuesday at 10am Tokyo time", "2026-11-24", "10:00", "Asia/Tokyo"),
    ev("Add a call with the London team on Wednesday at 3pm London time", "2026-11-25", "15:00", "Europe/London"),
    ev("Add a webinar on Thursday at 11am PST", "2026-11-26", "11:00", "America/Los_Angeles"),
    ev("Add an interview on Friday at 2pm Eastern time, zone America/New_York", "2026-11-27", "14:00", "America/New_York"),
    ev("Add a standup with the Sydney team on Monday at 8am Sydney time", "2026-11-23", "08:00", "Australia/Sydney"),
    ev("Add a call with Paris on Tuesday at 5pm Paris time", "2026-11-24", "17:00", "Europe/Paris"),
    ev("Add a meeting with the Chicago client tomorrow at 1pm Chicago time", "2026-11-22", "13:00", "America/Chicago"),
    ev("Add a call with Mumbai on Thursday at 9:30am in Kolkata time", "2026-11-26", "09:30", "Asia/Kolkata"),
    ev("Schedule a sync at 4pm UTC on Wednesday", "2026-11-25", "16:00", "UTC"),
    # -- recurring --------------------------------------------------------------------------
    ev("Add a team standup every weekday at 9:30", "2026-11-23", "09:30", rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ev("Add yoga every Tuesday at 6pm starting next Tuesday", "2026-11-24", "18:00", rrule="FREQ=WEEKLY;BYDAY=TU"),
    ev("Add piano lessons every week on Thursday at 5pm", "2026-11-26", "17:00", rrule="FREQ=WEEKLY"),
    ev("Add a weekly call with mum on Sunday at 11am", "2026-11-22", "11:00", rrule="FREQ=WEEKLY"),
    ev("Add 'water the plants' daily at 8am starting tomorrow", "2026-11-22", "08:00", rrule="FREQ=DAILY"),
    ev("Add a monthly book club on December 2 at 7pm", "2026-12-02", "19:00", rrule="FREQ=MONTHLY"),
    ev("Add a one-on-one with Lena every other Monday at 10am", "2026-11-23", "10:00", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ev("Add swimming every Monday and Wednesday at 7am", "2026-11-23", "07:00", rrule="FREQ=WEEKLY;BYDAY=MO,WE"),
    ev("Add 'team retro' every two weeks on Friday at 3pm", "2026-11-27", "15:00", rrule="FREQ=WEEKLY;INTERVAL=2"),
    ev("Add Anna's birthday dinner every year on December 12 at 7pm", "2026-12-12", "19:00", rrule="FREQ=YEARLY"),
    ev("Add a daily standup at 9am for 10 times starting Monday", "2026-11-23", "09:00", rrule="FREQ=DAILY;COUNT=10"),
    ev("Add guitar practice every Saturday at 10am", "2026-11-28", "10:00", rrule="FREQ=WEEKLY;BYDAY=SA"),
    ev("Add a weekly planning session on Monday at 8:30am", "2026-11-23", "08:30", rrule="FREQ=WEEKLY"),
    ev("Add 'take out the recycling' every Thursday at 7pm", "2026-11-26", "19:00", rrule="FREQ=WEEKLY;BYDAY=TH"),
    ev("Add a monthly review on December 1 at 4pm, repeating monthly", "2026-12-01", "16:00", rrule="FREQ=MONTHLY"),
    # -- reminders and alarms ---------------------------------------------------------------
    ev("Wake me at 7", "2026-11-22", "07:00", tool=R),
    ev("Set an alarm for 6:30am tomorrow", "2026-11-22", "06:30", tool=R),
    ev("Remind me to call my mother on Sunday at 10am", "2026-11-22", "10:00", tool=R),
    ev("Remind me to take my pills in 20 minutes", "2026-11-21", "14:25", tool=R),
    ev("Remind me in an hour to check the oven", "2026-11-21", "15:05", tool=R),
    ev("Remind me to buy milk tomorrow at 9am", "2026-11-22", "09:00", tool=R),
    ev("Remind me to pay the electricity bill on Monday at 8pm", "2026-11-23", "20:00", tool=R),
    ev("Remind me in 45 minutes to stretch", "2026-11-21", "14:50", tool=R),
    ev("Wake me up tomorrow at 6", "2026-11-22", "06:00", tool=R),
    ev("Remind me to send the invoice on Friday at noon", "2026-11-27", "12:00", tool=R),
    ev("Remind me at 6pm to water the plants", "2026-11-21", "18:00", tool=R),
    ev("Remind me to call Ben on Wednesday at 11am", "2026-11-25", "11:00", tool=R),
    ev("Set a reminder for December 3 at 9am to renew my passport", "2026-12-03", "09:00", tool=R),
    ev("Remind me in 2 hours to move the car", "2026-11-21", "16:05", tool=R),
    ev("Remind me to book the train tickets tonight at 9pm", "2026-11-21", "21:00", tool=R),
    ev("Wake me at 7:30 on Monday", "2026-11-23", "07:30", tool=R),
    ev("Remind me to congratulate Amy on Tuesday at 8am", "2026-11-24", "08:00", tool=R),
    ev("Remind me to check the mail in 10 minutes", "2026-11-21", "14:15", tool=R),
    ev("Remind me to call the dentist on Monday at 9:30", "2026-11-23", "09:30", tool=R),
    ev("Set an alarm for 5:45am on Tuesday", "2026-11-24", "05:45", tool=R),
    ev("Remind me to pick up the kids at 3:30pm", "2026-11-21", "15:30", tool=R),
    ev("Remind me on Thursday at 7pm to prepare the slides", "2026-11-26", "19:00", tool=R),
    ev("Remind me to call my mother on Sunday", "2026-11-22", "09:00", tool=R),
    ev("Remind me about the parcel tomorrow at 2pm", "2026-11-22", "14:00", tool=R),
    ev("Remind me in 30 minutes to take the laundry out", "2026-11-21", "14:35", tool=R),
    # -- moving events ----------------------------------------------------------------------
    ev("Move lunch with Amy to Wednesday at 2pm", "2026-11-25", "14:00", tool=C),
    ev("Move the dentist appointment to Friday at 10am", "2026-11-27", "10:00", tool=C),
    ev("Reschedule my call with Ben to Monday at 4pm", "2026-11-23", "16:00", tool=C),
    ev("Push the team review to Thursday at 11am", "2026-11-26", "11:00", tool=C),
    ev("Move yoga to tomorrow at 9am", "2026-11-22", "09:00", tool=C),
    ev("Move the haircut to December 2 at 3pm", "2026-12-02", "15:00", tool=C),
    ev("Change the coffee with Leo to Tuesday at 10:30", "2026-11-24", "10:30", tool=C),
    ev("Move dinner with Sara to Saturday at 7:30pm", "2026-11-28", "19:30", tool=C),
    # -- ambiguous or impossible: the right outcome is a question ----------------------------
    ask("Add a meeting with Carl tomorrow at 5"),
    ask("Schedule a call with Eva on Monday at 3"),
    ask("Remind me to call Jo at 4", tool=R),
    ask("Add a party on February 30 at 8pm"),
    ask("Add a meeting on November 31 at 10am"),
    ask("Add a visit to the museum on Thursday at 2"),
    ask("Remind me on Friday at 6 to leave early", tool=R),
    ask("Add dentist on April 31 at 9am"),
    ask("Add a call with Ola on Wednesday at 1"),
    ask("Add a meeting with the bank on March 28 at 2:30am"),
]

if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "data" / "time_requests.json"
    doc = {"now": "2026-11-21T14:05:00+01:00", "zone": B, "stamp": "Sat 21 Nov 2026, 14:05",
           "requests": REQUESTS}
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{len(REQUESTS)} requests → {out}")
