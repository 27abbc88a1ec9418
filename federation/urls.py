from django.urls import path

from . import views

app_name = "federation"

urlpatterns = [
    path("federation/", views.accueil, name="accueil"),
    path("federation/<int:pk>/", views.tableau, name="tableau"),
    path(
        "federation/<int:pk>/structures/<int:structure>/fiches/",
        views.fiches_structure,
        name="fiches_structure",
    ),
    path("federation/<int:pk>/fiches/<int:fiche>/", views.fiche, name="fiche"),
]
