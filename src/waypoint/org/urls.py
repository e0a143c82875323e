from django.urls import path

from waypoint.org import views

urlpatterns = [
    path("units/", views.unit_tree, name="unit-tree"),
    path("administrations/<int:unit_id>/settings/", views.administration_settings, name="administration-settings"),
    path("account/tokens/", views.api_tokens, name="api-tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
