from django.urls import include, path

from . import emails, views

urlpatterns = [
    # Before Django's own: our login (throttled, with the second factor) answers at its path.
    path("login/", views.ConnexionView.as_view(), name="login"),
    path("verification/", views.VerificationView.as_view(), name="verification_connexion"),
    path(
        "double-authentification/",
        views.DoubleAuthentificationView.as_view(),
        name="double_authentification",
    ),
    path("e-mails/", emails.mes_emails, name="mes_emails"),
    path("e-mails/desinscription/<str:jeton>/", emails.desinscription, name="desinscription"),
    path("", include("django.contrib.auth.urls")),
]
