from django.urls import include, path

from . import views

urlpatterns = [
    # Before Django's own: our login (throttled, with the second factor) answers at its path.
    path("login/", views.ConnexionView.as_view(), name="login"),
    path("verification/", views.VerificationView.as_view(), name="verification_connexion"),
    path(
        "double-authentification/",
        views.DoubleAuthentificationView.as_view(),
        name="double_authentification",
    ),
    path("", include("django.contrib.auth.urls")),
]
