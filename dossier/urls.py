from django.urls import path

from . import views

app_name = "dossier"

urlpatterns = [
    path("projets/<int:pk>/dossier/", views.index, name="index"),
    path("projets/<int:pk>/dossier/exporter/", views.exporter, name="exporter"),
    path("projets/<int:pk>/dossier/etat/", views.etat, name="etat"),
    path(
        "projets/<int:pk>/dossier/<int:export_pk>/telecharger/",
        views.telecharger,
        name="telecharger",
    ),
    path("projets/<int:pk>/dossier/apercu/", views.apercu, name="apercu"),
    path("fiches/<int:pk>/pdf/", views.fiche_pdf, name="fiche"),
]
