from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from krabuan.org.forms import (
    ThaiAuthenticationForm,
    ThaiPasswordChangeForm,
    ThaiPasswordResetForm,
    ThaiSetPasswordForm,
    ThrottledAdminAuthenticationForm,
)

# The admin's own sign-in goes through the same throttle as the site's.
admin.site.login_form = ThrottledAdminAuthenticationForm

api_v1 = [
    path("calendar/", include("krabuan.org.api.urls")),
    path("", include("krabuan.manual.api.urls")),
    path("", include("krabuan.workflow.api.urls")),
    path("", include("krabuan.kpi.api.urls")),
    path("privacy/", include("krabuan.privacy.api.urls")),
]

urlpatterns = [
    # The CKAN Action API (/api/action/…, /api/3/action/…) must answer before /api/v1/ and never
    # redirect: ckanapi does not follow redirects.
    path("", include("krabuan.catalog.ckan.urls")),
    path("", include("krabuan.catalog.urls")),
    path("privacy/", include("krabuan.privacy.urls")),
    path("", RedirectView.as_view(pattern_name="manual:process_list"), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=ThaiAuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=ThaiPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ThaiPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=ThaiSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("jobs/", include("krabuan.core.urls")),
    path("org/", include("krabuan.org.urls")),
    path("manual/", include("krabuan.manual.urls")),
    path("notifications/", include("krabuan.notify.urls")),
    path("work/", include("krabuan.workflow.urls")),
    path("schedules/", include("krabuan.workflow.schedule_urls")),
    path("kpi/", include("krabuan.kpi.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "krabuan.core.views.not_found"
handler500 = "krabuan.core.views.server_error"
