"""Payloads of the buttons the front door answers itself (it alone knows where a person's chat is), though the actions
put some of them under their answers: one name for each, here."""

REMIND_MORNING = "#r:morning"  # under a night answer: a reminder at the next working morning (bot/reminders.py)
CANCEL_REMINDER = "#r:cancel"  # under its confirmation
SHARE_PLAN = "#p:give"  # under the document plan: a one-time link for someone else (bot/shared_plan.py)
SHARED_PLAN = "#p:"  # every button of a shared plan
REMINDER = "#r:"  # every button of a reminder
CHECKIN = "#c:"  # every button of a check-in (bot/checkins.py)
CHECKIN_ASK = "#c:ask:"  # + a service id: yes, ask me tomorrow whether it worked out (under a shelter, food or
#                          social-service answer)
CHECKIN_NO = "#c:no"
CHECKIN_ANSWER = "#c:o:"  # + an answer (survey.events.CHECKIN_ANSWERS)
CHECKIN_REASON = "#c:r:"  # + a refusal reason (survey.events.REFUSAL_REASONS)
CHECKIN_STOP = "#c:stop"
# Names given out before a rename are read under today's: the payloads of buttons already in people's chats, and the
# labels of the blind NLU sets, which stay as their writer left them (2026-12-06: the handoff has one name, the intent
# request_handoff and the category "asked").
RENAMED_INTENTS = {"request_human": "request_handoff"}
RENAMED = {"#h:human": "#h:asked", **{f"/{old}": f"/{new}" for old, new in RENAMED_INTENTS.items()}}
