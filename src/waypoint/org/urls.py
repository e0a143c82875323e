from django.urls import path

from waypoint.org import views

urlpatterns = [
    path("units/", views.unit_tree, name="unit-tree"),
    path("units/add/", views.unit_add, name="unit-add"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit-edit"),
    path("administrations/<int:unit_id>/settings/", views.administration_settings, name="administration-settings"),
    path("account/tokens/", views.api_tokens, name="api-tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("my-work/", views.my_work, name="my-work"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:notification_id>/", views.inbox_open, name="inbox-open"),
    path("inbox/read/", views.inbox_read, name="inbox-read"),
    path("account/language/", views.language_set, name="language-set"),
    path("account/notifications/", views.notification_settings, name="notification-settings"),
    path("people/", views.people, name="people"),
    path("people/add/", views.person_add, name="person-add"),
    path("people/<int:user_id>/roles/", views.person_role_grant, name="person-role-grant"),
    path("people/roles/<int:assignment_id>/revoke/", views.person_role_revoke, name="person-role-revoke"),
    path("people/<int:user_id>/active/", views.person_active, name="person-active"),
    path("people/<int:user_id>/unlock/", views.person_unlock, name="person-unlock"),
]
