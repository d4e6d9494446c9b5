"""Personal reception of citizens (issue 5; docs/sources.md, seed 002, the 2017 reception rules).

- slots.py: the slots of a schedule, computed from the calendar and the office's hours;
- schedules.py, booking.py, changes.py, screening.py, day.py: the services (every change of
  state);
- common.py: errors, the booking's history, the notices to the citizen, the signed links;
- selectors.py: every read, scoped by the access policy; the frequency check and the figures;
- views_public.py, views_staff.py, forms.py, api.py, serializers.py, urls.py: pages and API;
- reminders.py: the reminders the day before and on the morning of the reception;
- demo.py: the demo data of `make run`.
"""
