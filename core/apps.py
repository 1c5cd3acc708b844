from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_guards(sender, using="default", **kwargs):
    from core import db_guards

    if sender.name != "core":
        return
    db_guards.install(using=using)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Siris core"

    def ready(self):
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        from core import auth_signals, services  # noqa: F401 (connects the history-row receiver)

        # The last log-in time is not worth a history row per log-in.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(auth_signals.update_last_login_quietly, dispatch_uid="siris_update_last_login")
        # post_migrate is sent once per app after *all* migrations ran; acting on core's signal
        # alone installs the triggers once, on every history table (idempotent).
        post_migrate.connect(_install_guards, dispatch_uid="siris_install_guards")
