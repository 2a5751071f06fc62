from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "inspectorate.planner"
    label = "planner"
    verbose_name = "Programme planner"
