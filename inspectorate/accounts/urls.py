from inspectorate.accounts import views, views_recovery
from inspectorate.lib.routes import routes

app_name = "accounts"

urlpatterns = routes(
    """
    sign-in/                                  SignInView                sign-in
    sign-out/                                 SignOutView               sign-out
    account/                                  account                   account
    account/email/                            email_preference          email-preference
    account/password/                         PasswordChangeView        password-change
    account/two-factor/set-up/                two_factor_setup          two-factor-setup
    account/two-factor/verify/                two_factor_verify         two-factor-verify
    account/confirm/                          confirm_identity          confirm-identity
    account/users/<int:pk>/two-factor/reset/  two_factor_reset          two-factor-reset
    # Account recovery (views_recovery.py)
    password-reset/                           password_reset_request    password-reset
    password-reset/sent/                      password_reset_sent       password-reset-sent
    password-reset/<uidb64>/<token>/          PasswordResetConfirmView  password-reset-confirm
    password-reset/complete/                  password_reset_complete   password-reset-complete
    """,
    views,
    views_recovery,
)
