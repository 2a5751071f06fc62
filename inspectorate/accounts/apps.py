from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inspectorate.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from inspectorate.accounts import session_state  # noqa: F401  (connects its signal)
