from django.urls import path

from inspectorate.accounts import views, views_recovery

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/", views.account, name="account"),
    path("account/email/", views.email_preference, name="email-preference"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("account/confirm/", views.confirm_identity, name="confirm-identity"),
    path(
        "account/users/<int:pk>/two-factor/reset/",
        views.two_factor_reset,
        name="two-factor-reset",
    ),
    # Account recovery (views_recovery.py)
    path("password-reset/", views_recovery.password_reset_request, name="password-reset"),
    path("password-reset/sent/", views_recovery.password_reset_sent, name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views_recovery.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        views_recovery.password_reset_complete,
        name="password-reset-complete",
    ),
]
