"""URLs of the situations package: the tenant's form (public) and the admin area.

Every admin URL name starts with « situations_ »: the permission-matrix test walks them all.
"""

from django.urls import path

from residences.situations import views
from residences.situations.admin_views import figures, managers, preferences, requests, situations

public_urlpatterns = [
    path("mediation/demande/", views.ask_for_help, name="help_request"),
    path(
        "mediation/demande/<slug:slug>/",
        views.ask_for_help,
        name="help_request_residence",
    ),
    path("mediation/demande-envoyee/", views.request_sent, name="help_request_sent"),
]

admin_urlpatterns = [
    path("situations/", situations.situation_list, name="situations_list"),
    path("situations/nouvelle/", situations.situation_create, name="situations_create"),
    path("situations/<int:situation_id>/", situations.situation_detail, name="situations_detail"),
    path(
        "situations/<int:situation_id>/modifier/",
        situations.situation_edit,
        name="situations_edit",
    ),
    path(
        "situations/<int:situation_id>/journal/",
        situations.situation_log,
        name="situations_log",
    ),
    path(
        "situations/<int:situation_id>/cloturer/",
        situations.situation_close,
        name="situations_close",
    ),
    path(
        "situations/<int:situation_id>/rouvrir/",
        situations.situation_reopen,
        name="situations_reopen",
    ),
    path(
        "situations/<int:situation_id>/historique/",
        managers.situation_audit,
        name="situations_audit",
    ),
    path(
        "situations/<int:situation_id>/export.csv",
        managers.situation_export,
        name="situations_export",
    ),
    path("situations/demandes/", requests.request_list, name="situations_requests"),
    path(
        "situations/demandes/<int:request_id>/",
        requests.request_detail,
        name="situations_request",
    ),
    path(
        "situations/demandes/<int:request_id>/transformer/",
        requests.request_convert,
        name="situations_request_convert",
    ),
    path(
        "situations/demandes/<int:request_id>/classer/",
        requests.request_set_aside,
        name="situations_request_set_aside",
    ),
    path("situations/export.csv", managers.export_all, name="situations_export_all"),
    path("situations/journal-des-acces/", managers.audit_log, name="situations_audit_log"),
    path("situations/droit-d-acces/", managers.right_of_access, name="situations_access"),
    path("situations/bilan/", figures.figures_view, name="situations_figures"),
    path("situations/preferences/", preferences.preferences, name="situations_preferences"),
]
