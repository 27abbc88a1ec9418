from django.urls import path

from . import views

app_name = "importation"

urlpatterns = [
    path("projets/importer/", views.deposer, name="deposer"),
    path("imports/<int:pk>/", views.suivre, name="suivre"),
    path("imports/<int:pk>/verifier/", views.verifier, name="verifier"),
    path("imports/<int:pk>/morceaux/<str:morceau_id>/", views.morceau, name="morceau"),
    path("imports/<int:pk>/morceaux/<str:morceau_id>/ignorer/", views.ignorer, name="ignorer"),
    path("imports/<int:pk>/confirmer/", views.confirmer, name="confirmer"),
]
