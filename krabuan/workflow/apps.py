from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "krabuan.workflow"
    label = "workflow"
    verbose_name = "Cases and deadlines"
