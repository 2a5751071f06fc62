from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "inspectorate.calendars"
    label = "calendars"
    verbose_name = "Calendar feeds"
