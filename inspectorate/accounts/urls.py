from django.urls import path

from inspectorate.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/", views.account, name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("account/confirm/", views.confirm_identity, name="confirm-identity"),
    path(
        "account/users/<int:pk>/two-factor/reset/",
        views.two_factor_reset,
        name="two-factor-reset",
    ),
]
