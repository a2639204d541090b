from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from krabuan.workflow.api import views


def _action(route: str, view: type[APIView], name: str) -> list[URLPattern]:
    """An action path as the issue writes it (no trailing slash), and the same path with one,
    so clients of either habit work; only the first is listed in the schema."""
    with_slash: type[APIView] = type(f"{view.__name__}WithSlash", (view,), {})
    extend_schema(exclude=True)(with_slash)
    return [
        path(route, view.as_view(), name=name),
        path(f"{route}/", with_slash.as_view(), name=f"{name}-slash"),
    ]


STEP = "cases/<int:pk>/steps/<int:order>"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    *_action("cases/<int:pk>/cancel", views.CaseCancelView, "case-cancel"),
    *_action(f"{STEP}/controls/<int:n>/confirm", views.ControlConfirmView, "step-control-confirm"),
    *_action(f"{STEP}/complete", views.StepCompleteView, "step-complete"),
    *_action(f"{STEP}/skip", views.StepSkipView, "step-skip"),
    *_action(f"{STEP}/pause", views.StepPauseView, "step-pause"),
    *_action(f"{STEP}/resume", views.StepResumeView, "step-resume"),
    *_action(f"{STEP}/risks", views.RiskRecordView, "step-risks"),
    path("processes/<int:pk>/kpi/", views.ProcessKpiView.as_view(), name="process-kpi"),
    path("my/steps/", views.MyStepsView.as_view(), name="my-steps"),
]
