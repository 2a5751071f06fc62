from django.urls import URLPattern, URLResolver, path

from inspectorate.estate import views

app_name = "estate"

# Fixed words come before <code>: codes are capitals, digits and hyphens, never these.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.establishment_list, name="establishment-list"),
    path("import/", views.establishment_import, name="establishment-import"),
    path("export/", views.establishment_export, name="establishment-export"),
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("contracts/import/", views.contract_import, name="contract-import"),
    path("contracts/export/", views.contract_export, name="contract-export"),
    path("<str:code>/", views.establishment_detail, name="establishment-detail"),
    path("<str:code>/edit/", views.establishment_edit, name="establishment-edit"),
    path("<str:code>/contracts/add/", views.contract_edit, name="contract-add"),
    path("<str:code>/contracts/<int:pk>/edit/", views.contract_edit, name="contract-edit"),
]
