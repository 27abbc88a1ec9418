from django.urls import path

from . import views

app_name = "portail"

urlpatterns = [
    path("mes-actions/", views.mes_actions, name="mes_actions"),
    path("mes-actions/<int:pk>/", views.fiche, name="fiche"),
    path("mes-actions/<int:pk>/pdf/", views.fiche_pdf, name="fiche_pdf"),
    path("mes-actions/<int:pk>/confirmer/", views.confirmer, name="confirmer"),
]
