from django.contrib.auth import views as auth
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.ConnexionView.as_view(), name="login"),
    path("verification/", views.VerificationView.as_view(), name="verification_connexion"),
    path(
        "double-authentification/",
        views.DoubleAuthentificationView.as_view(),
        name="double_authentification",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password_change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
